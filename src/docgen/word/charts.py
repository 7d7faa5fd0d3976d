"""Native Word charts (DrawingML): the data lives in the chart, its text stays text.

A bar chart part with literal category and value caches (no embedded workbook): Word,
LibreOffice and WPS draw it in the reader's fonts, so Chinese labels render as text.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape, quoteattr

from docx.document import Document
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Cm

from docgen.word.text import clean

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
RT_CHART = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COLOURS = ("2F5597", "C55A11", "548235", "7F6000", "7030A0")


def _text(value: Any) -> str:
    return escape(clean(str(value)))


def _series(index: int, name: str, categories: list[str], values: list[Any]) -> str:
    cats = "".join(
        f'<c:pt idx="{i}"><c:v>{_text(c)}</c:v></c:pt>' for i, c in enumerate(categories)
    )
    vals = "".join(
        f'<c:pt idx="{i}"><c:v>{float(v)!r}</c:v></c:pt>'
        for i, v in enumerate(values)
        if v is not None
    )
    colour = _COLOURS[index % len(_COLOURS)]
    return (
        f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/>'
        f"<c:tx><c:v>{_text(name)}</c:v></c:tx>"
        f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill></c:spPr>'
        '<c:invertIfNegative val="0"/>'
        '<c:dLbls><c:numFmt formatCode="General" sourceLinked="0"/><c:showLegendKey val="0"/>'
        '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
        f'<c:cat><c:strLit><c:ptCount val="{len(categories)}"/>{cats}</c:strLit></c:cat>'
        f"<c:val><c:numLit><c:formatCode>General</c:formatCode>"
        f'<c:ptCount val="{len(categories)}"/>{vals}</c:numLit></c:val>'
        "</c:ser>"
    )


def chart_xml(spec: dict[str, Any]) -> bytes:
    """The chart part for a ``{"title", "categories", "series": [{"name", "values"}]}`` spec."""
    categories = [str(c) for c in spec.get("categories", [])]
    series = "".join(
        _series(i, s.get("name", ""), categories, list(s.get("values", [])))
        for i, s in enumerate(spec.get("series", []))
    )
    legend = (
        '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        if len(spec.get("series", [])) > 1
        else ""
    )
    xml = (
        f'<c:chartSpace xmlns:c="{_C}" xmlns:a="{_A}" xmlns:r="{_R}">'
        '<c:roundedCorners val="0"/>'
        "<c:chart>"
        '<c:autoTitleDeleted val="1"/>'
        "<c:plotArea><c:layout/>"
        '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/>'
        f'<c:varyColors val="0"/>{series}<c:gapWidth val="80"/>'
        '<c:axId val="50010001"/><c:axId val="50010002"/></c:barChart>'
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="50010002"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/></c:catAx>'
        '<c:valAx><c:axId val="50010002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="50010001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        "</c:valAx></c:plotArea>"
        f'{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900">'
        '<a:ea typeface="宋体"/></a:defRPr></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>'
        "</c:chartSpace>"
    )
    return xml.encode("utf-8")


def add_bar_chart(
    document: Document, spec: dict[str, Any], shape_id: int, width_cm: float = 15.0
) -> str:
    """Add a clustered column chart part; return the ``w:r`` that shows it inline."""
    package = document.part.package
    number = 1 + sum(1 for p in package.iter_parts() if p.content_type == CONTENT_TYPE)
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CONTENT_TYPE, chart_xml(spec), package)
    r_id = document.part.relate_to(part, RT_CHART)
    cx, cy = int(Cm(width_cm)), int(Cm(width_cm * 0.55))
    description = quoteattr(clean(str(spec.get("title", ""))))
    return (
        "<w:r><w:drawing>"
        '<wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="图表 {number}" descr={description}/>'
        "<wp:cNvGraphicFramePr/>"
        f'<a:graphic><a:graphicData uri="{_C}"><c:chart r:id="{r_id}"/></a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></w:r>"
    )
