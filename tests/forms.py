"""What a browser would submit for a form exactly as the page shows it: every named input
with its shown value, checked boxes and radios, the selected options, textareas. A form
that cannot be saved unchanged (a blank date, a dropped team member) shows up here."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, testid: str):
        super().__init__(convert_charrefs=True)
        self.testid = testid
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._select_multiple = False
        self._textarea: str | None = None
        self._text = ""

    def _add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self._add(name, attrs.get("value", ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attrs:
                self._add(self._select, value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self._select:
            single = not self._select_multiple
            if single and not self._select_chosen and self._select_first is not None:
                # A browser sends a single select's first option; a multiple one, nothing.
                self._add(self._select, self._select_first)
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline right after <textarea>.
            self._add(self._textarea, self._text.removeprefix("\n"))
            self._textarea = None


def submitted_as_shown(page: str, testid: str) -> dict[str, list[str]]:
    reader = _FormReader(testid)
    reader.feed(page)
    assert reader.data, f"no form with data-testid={testid!r} on the page"
    return reader.data
