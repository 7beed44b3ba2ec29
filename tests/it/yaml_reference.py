"""The reference side of the YAML differential test (tests/it/yaml_diff.rs).

Reads documents from stdin, each as a line with its length in bytes followed by its UTF-8
bytes, and answers one JSON line per document:
- {"ok": false, "error": "..."} when kubectl would refuse the text: libyaml (PyYAML's C
  parser, yaml.CSafeLoader) rejects it, or go-yaml's decoder does (an alias to no anchor or to
  the collection holding it, a merge key whose value is not a mapping or a list of mappings);
- {"ok": true, "values": [...]} otherwise: each non-empty document as JSON, built as go-yaml v2
  and sigs.k8s.io/yaml build it (aliases expanded, merge keys applied in order, the last of
  duplicate keys kept, scalars resolved by go-yaml v2's resolve.go, keys turned into strings);
  "values" is null when a value has no JSON form (a mapping or list used as a key, a tag
  go-yaml refuses to decode, infinities and NaN).

libyaml is used for events only: PyYAML's own composer and resolver follow YAML 1.1 as PyYAML
reads it, which differs from go-yaml (duplicate anchors, `0644`, timestamps), so both are
written here from go-yaml's sources instead.
"""

import decimal
import json
import math
import re
import sys

import yaml

CORE = "tag:yaml.org,2002:"

# go-yaml v2 resolve.go: resolveMapList.
MAP = {}
for v, words in [
    (True, "y Y yes Yes YES true True TRUE on On ON"),
    (False, "n N no No NO false False FALSE off Off OFF"),
    (None, "~ null Null NULL"),
]:
    for w in words.split():
        MAP[w] = v
MAP[""] = None
for w in [".nan", ".NaN", ".NAN"]:
    MAP[w] = math.nan
for w in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]:
    MAP[w] = math.inf
for w in ["-.inf", "-.Inf", "-.INF"]:
    MAP[w] = -math.inf

# go-yaml v2 resolve.go: yamlStyleFloat.
YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
GO_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+\.?[0-9]*)([eE][-+]?[0-9]+)?$")


class Unsupported(Exception):
    """A value with no JSON form for kubectl."""


class Refused(Exception):
    """Text that go-yaml's decoder refuses."""


def go_parse_int(s):
    """strconv.ParseInt(s, 0, 64), or ParseUint: a Python int or None."""
    neg = False
    body = s
    if body[:1] in "+-" and body:
        neg = body[0] == "-"
        body = body[1:]
    if body[:2] in ("0x", "0X"):
        base, digits = 16, body[2:]
    elif body[:2] in ("0o", "0O"):
        base, digits = 8, body[2:]
    elif body[:2] in ("0b", "0B"):
        base, digits = 2, body[2:]
    elif len(body) > 1 and body[0] == "0":
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    allowed = "0123456789abcdefABCDEF"[: base if base <= 10 else 10 + (base - 10) * 2]
    if base == 16:
        allowed = "0123456789abcdefABCDEF"
    if not digits or any(c not in allowed for c in digits):
        return None
    n = int(digits, base)
    if neg:
        n = -n
        return n if n >= -(2**63) else None
    if n < 2**63:
        return n
    return n if (not neg and n < 2**64) else None


def go_parse_float(s):
    """strconv.ParseFloat for the decimal forms go-yaml lets through; None on error (overflow too)."""
    if not GO_FLOAT.match(s):
        return None
    f = float(s)
    if math.isinf(f):
        return None
    return f


def resolve_plain(s):
    """go-yaml v2 resolve() for an untagged plain scalar: (kind, value)."""
    if s in MAP:
        v = MAP[s]
        if v is None:
            return ("null", None)
        if isinstance(v, bool):
            return ("bool", v)
        return ("float", v)
    hint = s[:1]
    if hint == ".":
        f = go_parse_float(s)
        if f is not None:
            return ("float", f)
    elif hint and (hint in "+-" or hint.isdigit()):
        plain = s.replace("_", "")
        n = go_parse_int(plain)
        if n is not None:
            return ("int", n)
        if YAML_FLOAT.match(plain):
            f = go_parse_float(plain)
            if f is not None:
                return ("float", f)
    return ("str", s)


def scalar_value(event):
    tag = event.tag
    plain = event.style is None or event.style == ""
    if tag is None or (tag == "!" and plain):
        if tag is None and plain:
            return resolve_plain(event.value)
        return ("str", event.value)
    if not tag.startswith(CORE):
        return ("str", event.value)
    core = tag[len(CORE):]
    if core in ("str", "binary"):
        return ("str", event.value)
    kind, value = resolve_plain(event.value)
    if kind == core:
        return (kind, value)
    if core == "float" and kind == "int":
        return ("float", float(value))
    raise Unsupported("tag %s on %r" % (tag, event.value))


def go_format_float(f):
    """strconv.FormatFloat(f, 'g', -1, 64)."""
    if f == 0:
        return "0"
    d = decimal.Decimal(repr(f))
    sign, digits, exp = d.as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exp += 1
    sci = len(digits) + exp - 1
    text = "-" if sign else ""
    if sci < -4 or sci >= 6:
        mant = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
        return "%s%se%s%02d" % (text, mant, "-" if sci < 0 else "+", abs(sci))
    return text + format(d.normalize(), "f")


def json_key(node):
    kind, value = node
    if kind == "str":
        return value
    if kind == "null":
        return "null"
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(value)
    if kind == "float":
        if math.isinf(value) or math.isnan(value):
            raise Unsupported("key %r" % value)
        return go_format_float(value)
    raise Unsupported("a %s as a key" % kind)


def to_json(node):
    kind, value = node
    if kind == "str" or kind == "bool" or kind == "int":
        return value
    if kind == "null":
        return None
    if kind == "float":
        if math.isinf(value) or math.isnan(value):
            raise Unsupported("float %r" % value)
        return value
    if kind == "seq":
        return [to_json(it) for it in value]
    if kind == "map":
        return {k: to_json(v) for k, v in value.items()}
    raise AssertionError(kind)


def is_merge(event, node):
    return (
        isinstance(event, yaml.ScalarEvent)
        and (event.style is None or event.style == "")
        and event.tag in (None, "!", CORE + "merge")
        and event.value == "<<"
    )


def merge_into(target, value):
    kind, inner = value
    if kind == "map":
        target.update(inner)
    elif kind == "seq":
        for item in reversed(inner):
            if item[0] != "map":
                raise Refused("a merge list item that is not a mapping")
            target.update(item[1])
    else:
        raise Refused("a merge value that is not a mapping")


def compose(events):
    """The documents of a stream as go-yaml builds them; raises Refused or Unsupported."""
    documents = []
    anchors = {}
    stack = []  # [kind, anchor, items or dict, pending key, pending key is merge]
    unsupported = None

    def add(node, event):
        nonlocal unsupported
        if not stack:
            documents.append(node)
            return
        top = stack[-1]
        if top[0] == "seq":
            top[2].append(node)
        elif top[3] is None:
            top[3] = node
            top[4] = is_merge(event, node)
        else:
            key, merge = top[3], top[4]
            top[3] = None
            if merge:
                merge_into(top[2], node)
            else:
                try:
                    top[2][json_key(key)] = node
                except Unsupported as error:
                    unsupported = unsupported or str(error)

    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            anchors = {}
        elif isinstance(event, yaml.ScalarEvent):
            try:
                node = scalar_value(event)
            except Unsupported as error:
                unsupported = unsupported or str(error)
                node = ("str", event.value)
            if event.anchor is not None:
                anchors[event.anchor] = node
            add(node, event)
        elif isinstance(event, yaml.AliasEvent):
            if event.anchor not in anchors:
                raise Refused("alias to no anchor (or to the collection holding it)")
            add(anchors[event.anchor], event)
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            if event.anchor is not None:
                anchors.pop(event.anchor, None)
            kind = "seq" if isinstance(event, yaml.SequenceStartEvent) else "map"
            stack.append([kind, event.anchor, [] if kind == "seq" else {}, None, False])
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            kind, anchor, items, _, _ = stack.pop()
            node = (kind, items)
            if anchor is not None:
                anchors[anchor] = node
            add(node, event)
    return documents, unsupported


def answer(text):
    try:
        documents, unsupported = compose(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as error:
        return {"ok": False, "error": str(error).replace("\n", " ")}
    except Refused as error:
        return {"ok": False, "error": "go-yaml: " + str(error)}
    values = None
    if unsupported is None:
        try:
            values = [to_json(it) for it in documents if it != ("null", None)]
        except Unsupported:
            values = None
    return {"ok": True, "values": values}


def main():
    stdin = sys.stdin.buffer
    out = sys.stdout
    while True:
        header = stdin.readline()
        if not header:
            break
        size = int(header)
        text = stdin.read(size).decode("utf-8")
        out.write(json.dumps(answer(text)) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
