"""The NIST SP 1500-100 v2 report in XML: the report of `public/nist.py` written in the notation of the XSD.

One source of truth: `nist.report()` builds the report once, in the JSON notation of the CDF; this module
only rewrites it, reading from the official XML schema (`public/schemas/NIST_V2_election_results_reporting.xsd`,
see SOURCE.md there) the order of each type's elements, which properties are attributes and which hold
lists of references. The two notations of NIST SP 1500-100r2 correspond as follows:

- `"@type": "ElectionResults.X"` is the type of the element; where the element is declared with another type
  (the abstract GpUnit, Contest, ContestSelection) it is written `xsi:type="X"`;
- `"@id"` is the attribute `ObjectId`; a property the XSD declares as an attribute (`Language`) is one too;
- `"Content"` is the text of a type with simple content (`LanguageString`: `<Text Language="vi">…</Text>`);
- a list of references (`xsd:IDREFS`, the `…Ids` properties) is one element, the ids separated by spaces;
  any other list is the element repeated;
- a property the XSD does not know is an error (`NotInSchema`, a ValueError), so the two notations cannot drift apart.
"""

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

XSD = Path(__file__).resolve().parent / "schemas" / "NIST_V2_election_results_reporting.xsd"
XS = "http://www.w3.org/2001/XMLSchema"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TYPE_PREFIX = "ElectionResults."


# The JSON report holding something the XML schema has no place for is a programming error, not a refusal of
# anyone's input: a plain ValueError (the product's own exceptions are refusals, core/errors.py).
NotInSchema = ValueError


@dataclass(frozen=True)
class _Type:
    elements: tuple[tuple[str, str], ...]  # (name, type) in the order of the schema, inherited ones first
    attributes: frozenset[str]
    simple_content: bool


@dataclass(frozen=True)
class _Schema:
    namespace: str
    types: Mapping[str, _Type]


def _local(qname: str) -> str:
    return qname.rsplit(":", 1)[-1]


@functools.cache
def _schema() -> _Schema:
    # Our own file, read once: no entities, no network.
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(str(XSD), parser).getroot()
    ns = {"xsd": XS}
    raw: dict[str, tuple[str | None, tuple[tuple[str, str], ...], frozenset[str], bool]] = {}
    for node in root.iterfind("xsd:complexType", ns):
        extension = node.find("xsd:complexContent/xsd:extension", ns)
        body = extension if extension is not None else node
        elements = tuple((e.get("name"), _local(e.get("type"))) for e in body.iterfind("xsd:sequence/xsd:element", ns))
        attributes = frozenset(a.get("name") for a in node.iter(f"{{{XS}}}attribute"))
        simple = node.find("xsd:simpleContent", ns) is not None
        base = _local(extension.get("base")) if extension is not None else None
        raw[node.get("name")] = (base, elements, attributes, simple)

    def resolve(name: str) -> _Type:
        base, elements, attributes, simple = raw[name]
        if base is not None:
            inherited = resolve(base)
            return _Type(inherited.elements + elements, inherited.attributes | attributes, simple)
        return _Type(elements, attributes, simple)

    return _Schema(namespace=root.get("targetNamespace"), types={name: resolve(name) for name in raw})


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | str):
        return str(value)
    raise NotInSchema(f"a value of type {type(value).__name__} has no XML form")


def _fill(element: etree._Element, value: Any, declared: str, schema: _Schema) -> None:
    if not isinstance(value, Mapping):
        if declared in schema.types:
            raise NotInSchema(f"{declared} needs an object, not {value!r}")
        element.text = _scalar(value)
        return
    actual = str(value.get("@type", TYPE_PREFIX + declared)).removeprefix(TYPE_PREFIX)
    kind = schema.types.get(actual)
    if kind is None:
        raise NotInSchema(f"the XSD has no type {actual}")
    if actual != declared:
        element.set(f"{{{XSI}}}type", actual)
    left = set(value) - {"@type"}
    if "@id" in value:
        if "ObjectId" not in kind.attributes:
            raise NotInSchema(f"{actual} has no ObjectId")
        element.set("ObjectId", _scalar(value["@id"]))
        left.discard("@id")
    for name in sorted(kind.attributes & left):
        element.set(name, _scalar(value[name]))
        left.discard(name)
    if kind.simple_content and "Content" in value:
        element.text = _scalar(value["Content"])
        left.discard("Content")
    q = functools.partial("{{{}}}{}".format, schema.namespace)
    for name, type_name in kind.elements:
        if name not in value:
            continue
        left.discard(name)
        item = value[name]
        if type_name == "IDREFS":
            etree.SubElement(element, q(name)).text = " ".join(map(_scalar, item))
            continue
        for one in item if isinstance(item, list) else [item]:
            _fill(etree.SubElement(element, q(name)), one, type_name, schema)
    if left:
        raise NotInSchema(f"{actual} has no {', '.join(sorted(left))} in the XSD")


def to_xml(report: Mapping[str, Any]) -> bytes:
    """The ElectionReport `report` (the JSON notation of `public/nist.py`) as an XML document."""
    schema = _schema()
    root = etree.Element(f"{{{schema.namespace}}}ElectionReport", nsmap={None: schema.namespace, "xsi": XSI})
    _fill(root, report, "ElectionReport", schema)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
