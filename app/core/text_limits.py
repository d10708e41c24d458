"""Long texts staff type or paste into a box, bounded by the server alone.

The boxes carry no maxlength: the browser cut a longer paste to the limit without a word and the cut text was
saved. Instead the server refuses a text over its limit, says how long it is, and the page gives the whole text back
in the box (the form's draft, app/core/forms.py, or the re-rendered page), as the reply and note boxes do."""
from app.core.errors import BadRequest


def plain(text):
    """The text as its box shows it: a browser posts each line break of a textarea as CRLF, two characters, while
    the person (and maxlength) counts one; stripped."""
    return (text or "").replace("\r\n", "\n").strip()


def length(text):
    """How many characters the person sees (the `text_length` filter: the pages say a refused text's length)."""
    return len(plain(text))


def bounded(text, limit, what, then, code):
    """`text` as its box shows it (plain), when it is at most `limit` characters; otherwise BadRequest (Chinese
    first) naming `what` (the box's name), the limit, the text's own length and `then` (what to do after shortening:
    保存, 试评分)."""
    text = plain(text)
    if len(text) > limit:
        raise BadRequest(f"{what}最多 {limit} 字,这段有 {len(text)} 字,请删减后再{then} "
                         f"The text has {len(text)} characters, at most {limit}", code=code)
    return text
