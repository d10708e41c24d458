"""What the core contributes: the shared tables and the access log, the sweep that resumes stranded work, the
schema and storage commands."""
from app.core import cli
from app.core.access_log import AccessLog
from app.core.domains import Domain
from app.core.models import CORE_MODELS
from app.core.sweeps import SWEEP_UNFINISHED

DOMAIN = Domain(
    "core",
    models=(*CORE_MODELS, AccessLog),
    jobs=(SWEEP_UNFINISHED,),
    # Seconds between sweeps: a stranded answer or an unsent card is picked up within about this long.
    schedule=((SWEEP_UNFINISHED, 20),),
    cli=cli.register,
)
