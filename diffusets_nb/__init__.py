"""DiffuSETS as executable notebooks: 12-lead ECG generation from clinical text reports and patient information."""
from importlib.metadata import version as _version, PackageNotFoundError as _NotFound
try: __version__ = _version('diffusets_nb')  # settings.ini is the single source of the version
except _NotFound: __version__ = '0+unknown'
