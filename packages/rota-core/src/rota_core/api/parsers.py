"""The JSON parser of every Rota Round API: DRF's, refusing bodies nested too deeply.

A body nested a thousand levels deep made Python's JSON decoder raise ``RecursionError``
(a 500); one nested a little less parsed but could overflow later, in validation or when the
value was written back out. Any body nested more than ``MAX_DEPTH`` levels is a 400.
"""

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # far above any body the APIs take (theirs are two or three levels deep)
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep."


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether ``data`` nests lists and objects more than ``limit`` levels (no recursion)."""
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
