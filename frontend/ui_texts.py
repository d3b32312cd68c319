"""Texts the small ES modules show (save states, "Vol!", connection banners), translated
like every other string and handed to the page once, as JSON, in base.html."""

from django.utils.translation import gettext_lazy as _

UI_TEXTS = {
    "saving": _("Saving …"),
    "saved": _("Saved"),
    "queued": _("Being saved …"),
    "photoQueued": _("Photo is being saved …"),
    "waiting": _("%(count)s waiting to be saved …"),
    "allSaved": _("Everything is saved."),
    "failed": _("Not saved. Try again."),
    "photoSaving": _("Saving photo …"),
    "photoSaved": _("Photo saved"),
    "photoFailed": _("Photo not saved."),
    # A photo the server refused (or failed three times): outbox.js keeps it aside
    "photoDidNotWork": _("This photo did not work"),
    "photoDidNotWorkSpoken": _(
        "This photo did not work. Tap Retry to send it again, or Throw away to remove it."
    ),
    "retry": _("Retry"),
    "throwAway": _("Throw away"),
    "readAloud": _("Read aloud"),
    "chooseMood": _("First tap how it went."),
    "full": _("Full!"),
    "mustDo": _("Must do"),
    "first": _("First"),
    "then": _("Then"),
    "done": _("Done"),
    "takeOff": _("Take off"),
    # The planbord (planboard.js): spoken and shown to kleuters
    "fullChooseAnother": _("Full, choose another corner."),
    "now": _("Now"),
    "waitForSeat": _("Wait, it is full"),
    "wellDone": _("Well done!"),
    "ended": _(
        "This page no longer follows live: you logged out or no longer have access. "
        "Reload the page."
    ),
    "lost": _("No connection. Trying again …"),
    "back": _("Connected again."),
    # The teacher's live lesson dashboard (dashboard.js)
    "filterAll": _("Everyone"),
    "filterNone": _("No entry yet"),
    "filterInstruction": _("Instruction"),
    "filterWorking": _("Working"),
    "filterEvaluated": _("Evaluated"),
    "stateLocked": _("locked"),
    "stateNone": _("no entry yet"),
    "stateWorking": _("working"),
    "stateEvaluated": _("evaluated"),
    "goals": _("Goals"),
    "instruction": _("Instruction"),
    "with": _("With"),
    "place": _("Place"),
    "yes": _("yes"),
    "no": _("no"),
    "alone": _("alone"),
    "noPlace": _("No place yet"),
    "byTeacher": _("decided by the teacher"),
    "byPupil": _("chosen by the pupil"),
    "decideFor": _("Decide for %(name)s"),
    "intoInstruction": _("Into the instruction group"),
    "noInstruction": _("No instruction"),
    "setPlace": _("Set place"),
    "setGoals": _("Set goals"),
    "setPartners": _("Set partners"),
    "partnersHint": _("No one chosen: works alone."),
    "notMutual": _("%(name)s did not choose back"),
    "alertSeen": _("Seen"),
    "alertInstruction": _(
        "Asked for the instruction and is not in the instruction group: %(names)s."
    ),
    "changedFor": _("Changed for %(name)s."),
    "nobodyInInstruction": _("Nobody in the instruction group yet."),
    "takeOut": _("Take %(name)s out of the instruction group"),
    "chooseAPupil": _("Choose a pupil"),
    "qIntended": _("regie %(regie)s%%, belang %(belang)s%%."),
    "qRegie": _(
        "Of the %(taken)s decisions taken so far, pupils took %(by_pupils)s themselves: "
        "regie %(pct)s%% (a choice from your options counts half)."
    ),
    "qPending": _("Not taken yet: %(pending)s."),
    # Ending the lesson, and the evaluation coming in after it
    "endLessonConfirm": _(
        "End the lesson? Then the pupils say how it went. Not evaluated yet: %(pending)s "
        "of %(total)s."
    ),
    "evaluatedCount": _("Evaluated: %(count)s of %(total)s."),
    # Alerts on the teacher's device, each with its reason in one line
    "alertNothing": _("Nothing chosen yet, %(minutes)s minutes after the start: %(names)s."),
    "alertHelp": _("Waiting for help for %(minutes)s minutes or more: %(names)s."),
    "helpWaited": _("%(minutes)s min"),
    "helpComing": _("I'm coming"),
    "helpDone": _("Helped"),
    "helpNone": _("Nobody is asking for help."),
    "alertFull": _("%(place)s holds %(capacity)s, and %(count)s pupils chose it: %(names)s."),
    "qPupil": _("%(name)s: regie %(regie)s%%, belang %(belang)s%%"),
    "qBelang": _("Two pupils picked at random work on something different %(pct)s%% of the time."),
    "qBelangUnknown": _(
        "Fewer than two pupils have filled in their logbook: belang cannot be measured yet."
    ),
    "qCounts": _("Based on %(with_data)s pupils; %(without)s without data."),
    # Scanning a QR code on /klas/ (scan.js)
    "scanNoCamera": _("The camera does not work here. Type the class code."),
    "scanNotOurs": _("That is not a class QR code. Try another one."),
    # The doelenboekje (booklet.js): a tap the server refused is put back
    "bookletRefused": _("That did not work, so it is back as it was. Try again?"),
}
