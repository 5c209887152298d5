from . import controllers
from . import models
from . import tools


def post_load():
    """Install the database selector for API calls, see tools/database.py."""
    from .tools.database import install_database_selector

    install_database_selector()
