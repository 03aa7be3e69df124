"Package metadata comes from settings.ini, the single source; this file only reads it."
from configparser import ConfigParser
from pathlib import Path
import setuptools

here = Path(__file__).parent
cfg = ConfigParser(delimiters=['='])
cfg.read(here/'settings.ini', encoding='utf-8')
cfg = cfg['DEFAULT']
lines = lambda key: [o.strip() for o in cfg.get(key, '').split('\n') if o.strip()]
lib = cfg['lib_name']

setuptools.setup(
    name=lib, version=cfg['version'], description=cfg['description'],
    long_description=(here/'README.md').read_text(encoding='utf-8'), long_description_content_type='text/markdown',
    author=cfg['author'], author_email=cfg['author_email'], license=cfg['license'], keywords=cfg['keywords'].split(),
    classifiers=['Programming Language :: Python :: 3', 'Intended Audience :: Science/Research',
                 'Topic :: Scientific/Engineering :: Medical Science Apps.'],
    python_requires=f">={cfg['min_python']}",
    packages=setuptools.find_packages(include=[lib, f'{lib}.*']),
    # a plain path entry for editable installs: a clone named like the package, seen from its parent folder as a
    # namespace package, then loses to the real one (with setuptools' default import hook it would shadow it)
    package_dir={'': '.'},
    include_package_data=True,
    package_data={lib: ['assets/**/*', 'assets/*']},
    install_requires=cfg.get('requirements', '').split(),
    extras_require={'dev': cfg.get('dev_requirements', '').split()},
    entry_points={'console_scripts': lines('console_scripts'), 'nbdev': [f'{lib}={lib}._modidx:d']},
    zip_safe=False,
)
