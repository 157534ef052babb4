"""The staff actions as the gateway and the portal read them off shared.staff_actions' table."""

from services.gateway.api.staff import ALSO_WAIT_FOR
from services.gateway.portal.staff_actions import ACTIONS
from shared.staff_actions import STAFF_ACTIONS


def test_an_answer_waits_for_the_service_the_action_hands_the_dossier_to() -> None:
    assert ALSO_WAIT_FOR == {"request-supplement": ["intake"], "request-payment": ["payment"],
                             "confirm-payment": ["processing"]}


def test_the_staff_page_has_a_form_for_every_action_of_the_table() -> None:
    assert sorted(form.name for form in ACTIONS) == sorted(action.name for action in STAFF_ACTIONS)
