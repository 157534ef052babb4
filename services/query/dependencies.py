"""What the query service's handlers and reactions need, wired once by bootstrap (and by the tests)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from services.query.adapters.notification_log import NotificationLog
from services.query.adapters.notifier import AppliedNotifier
from services.query.adapters.ratings import RatingsGiven
from services.query.adapters.read_model import ReadModelRepository
from services.query.adapters.slip_log import SlipLog
from services.query.adapters.statistics import DossiersReceived
from services.query.domain.countdown import Countdown
from services.query.domain.dates import today_in
from services.query.domain.views import ProcedureDocuments
from services.query.settings import QuerySettings
from shared.dossier_content import ContentSource
from shared.messages import utc_now


@dataclass
class Query:
    read_model: ReadModelRepository
    notifier: AppliedNotifier  # wakes read-your-writes waits when this replica applies an event
    notifications: NotificationLog
    slips: SlipLog  # the slips issued, beside the dossiers
    settings: QuerySettings
    zone: tzinfo  # the citizens' time zone: dates shown and filtered are days there
    procedure_documents: ProcedureDocuments  # the catalog's component documents, for the detail
    countdown: Countdown  # the working days left, on processing's calendar (shared/working_calendar.py)
    ratings: RatingsGiven  # the ratings given, for the staff's satisfaction summary
    received: DossiersReceived  # the dossiers received, for the staff's deadline statistics
    contents: ContentSource  # intake's answer on a dossier's applicant and form, which the events do not carry
    # What time it is, for the countdown: the real time, but for a development run told to look ahead
    # (DEV_DAYS_AHEAD) and the tests.
    clock: Callable[[], datetime] = utc_now

    def today(self) -> date:
        """The day it is in Vietnam, the day every deadline is judged on."""
        return today_in(self.zone, self.clock())
