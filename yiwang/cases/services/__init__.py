"""Every change to a case, grouped by who does it. Import from here: ``services.accept(…)``."""

from ._base import case_closed
from .applying import (
    attach_file,
    attach_licence,
    attach_record,
    check_draft,
    delete_draft,
    lapsed_reuses,
    open_correction,
    open_drafts,
    remove_file,
    resubmit,
    reuse_warnings,
    save_draft,
    start_application,
    submit,
    supply_tolerated,
    withdraw,
)
from .bundle_results import item_results
from .bundle_versions import (
    BundleDefinition,
    approve_bundle_version,
    create_bundle,
    publish_bundle_version,
    reject_bundle_version,
    set_bundle_topics,
    start_bundle_revision,
    submit_bundle_version,
    update_bundle_draft,
    withdraw_bundle,
)
from .bundles import (
    accept_bundle,
    attach_bundle_file,
    attach_bundle_licence,
    attach_bundle_record,
    bundle_application_of,
    bundle_progress,
    check_bundle,
    delete_bundle_draft,
    merged_form,
    open_bundle_drafts,
    published_bundle,
    save_bundle_draft,
    start_bundle,
    submit_bundle,
)
from .handling import (
    DELIVERY_METHODS,
    accept,
    case_certified,
    case_delivered,
    certify,
    claim,
    complete_review,
    decide,
    deliver,
    end_special,
    not_accept,
    release,
    request_correction,
    revoke,
    start_special,
    verify_commitment,
)
from .monitoring import recompute_deadlines, send_reminders
from .prefilling import (
    bundle_registry_offers,
    fill_bundle_from_registry,
    fill_from_registry,
    prefill_notes,
    prefill_values,
    registry_offers,
    suggestions,
)
from .viewing import open_file, view_case
from .workflow import can_edit_workflow, set_workflow, workflow_of

__all__ = [
    "DELIVERY_METHODS", "BundleDefinition", "accept", "accept_bundle", "approve_bundle_version",
    "attach_bundle_file", "attach_bundle_licence", "attach_bundle_record", "attach_file",
    "attach_licence", "attach_record", "bundle_application_of", "bundle_progress", "can_edit_workflow",
    "case_certified", "case_closed", "case_delivered", "certify", "check_bundle", "check_draft", "claim",
    "complete_review", "create_bundle", "decide", "delete_bundle_draft", "delete_draft", "deliver",
    "end_special", "item_results", "lapsed_reuses", "merged_form", "not_accept", "open_bundle_drafts",
    "open_correction", "open_drafts", "open_file",
    "publish_bundle_version", "published_bundle", "recompute_deadlines", "reject_bundle_version",
    "release", "remove_file", "request_correction", "resubmit", "reuse_warnings", "revoke",
    "save_bundle_draft", "save_draft", "send_reminders", "set_bundle_topics", "set_workflow",
    "start_application", "start_bundle", "start_bundle_revision", "start_special", "submit",
    "submit_bundle", "submit_bundle_version", "supply_tolerated", "update_bundle_draft",
    "verify_commitment", "view_case", "withdraw", "withdraw_bundle", "workflow_of",
]
__all__ += [  # 预填 (一表申请)
    "bundle_registry_offers", "fill_bundle_from_registry", "fill_from_registry", "prefill_notes",
    "prefill_values", "registry_offers", "suggestions",
]
