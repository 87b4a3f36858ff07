#!/usr/bin/python3
"""Writes the JPEG and PNG fixtures of io.koclip.search.text's tests (run from this folder).

Each JPEG is an 8x8 gray picture from PIL with metadata segments built here byte by byte, so that
byte order, character codes and padding are exactly what the tests claim: EXIF (TIFF IFD0 + Exif
SubIFD) in APP1, XMP in APP1, IPTC in a Photoshop APP13 resource 0x0404.
"""
import io
import struct

from PIL import Image
from PIL.PngImagePlugin import PngInfo

ASCII, BYTE, UNDEFINED, LONG = 2, 1, 7, 4


def tiff(order, ifd0, sub=None):
    """order '<' (II) or '>' (MM); ifd0/sub: lists of (tag, type, raw bytes)."""
    mark = b"II" if order == "<" else b"MM"
    entries0 = list(ifd0) + ([(0x8769, LONG, None)] if sub else [])

    def ifd(entries, start):
        entries = sorted(entries, key=lambda e: e[0])
        data_at = start + 2 + 12 * len(entries) + 4
        head, data = b"", b""
        for tag, typ, raw in entries:
            if raw is None:  # Exif SubIFD pointer, patched below
                head += struct.pack(order + "HHI", tag, typ, 1) + b"SUB!"
                continue
            count = len(raw) if typ != LONG else len(raw) // 4
            if len(raw) <= 4:
                head += struct.pack(order + "HHI", tag, typ, count) + raw.ljust(4, b"\0")
            else:
                head += struct.pack(order + "HHI", tag, typ, count) + struct.pack(order + "I", data_at + len(data))
                data += raw + (b"\0" if len(raw) % 2 else b"")
        return struct.pack(order + "H", len(entries)) + head + b"\0\0\0\0" + data

    body0 = ifd(entries0, 8)
    out = mark + struct.pack(order + "HI", 42, 8) + body0
    if sub:
        sub_at = len(out)
        out = out.replace(b"SUB!", struct.pack(order + "I", sub_at))
        out += ifd(sub, sub_at)
    return out


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def exif_segment(tiff_bytes):
    return segment(0xE1, b"Exif\0\0" + tiff_bytes)


def xmp_segment(packet):
    return segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet.encode("utf-8"))


def iptc_segment(datasets):
    """datasets: list of (record, dataset, raw bytes)."""
    iptc = b"".join(b"\x1c" + bytes([r, d]) + struct.pack(">H", len(v)) + v for r, d, v in datasets)
    if len(iptc) % 2:
        iptc += b"\0"
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iptc)) + iptc
    return segment(0xED, b"Photoshop 3.0\0" + resource)


def jpeg(name, *segments):
    buf = io.BytesIO()
    Image.new("L", (8, 8), 128).save(buf, "JPEG", quality=50)
    plain = buf.getvalue()
    assert plain[:2] == b"\xff\xd8"
    with open(name, "wb") as f:
        f.write(plain[:2] + b"".join(segments) + plain[2:])


def utf16le(s, pad=0):
    return s.encode("utf-16-le") + b"\0\0" + b"\0" * pad


def xmp(body):
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"'
            ' xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">'
            + body + '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>')


# Korean Windows Explorer "Details" tab: Title, Subject, Tags, Comments; a UNICODE UserComment.
jpeg("windows-ko.jpg", exif_segment(tiff("<", [
    (0x010E, ASCII, b"Gyeongbokgung at night\0"),
    (0x9C9B, BYTE, utf16le("경복궁의 밤")),
    (0x9C9C, BYTE, utf16le("엄마 생신 저녁")),
    (0x9C9E, BYTE, utf16le("경복궁;야경;서울", pad=6)),  # NUL-padded, as some writers leave it
    (0x9C9F, BYTE, utf16le("서울 여행")),
], sub=[(0x9286, UNDEFINED, b"UNICODE\0" + "경복궁에서 찍은 사진".encode("utf-16-le"))])))

# Big-endian TIFF header, UNICODE UserComment in UTF-16BE without a BOM; camera boilerplate description.
jpeg("usercomment-be.jpg", exif_segment(tiff(">", [
    (0x010E, ASCII, b"OLYMPUS DIGITAL CAMERA         \0"),
], sub=[(0x9286, UNDEFINED, b"UNICODE\0" + "남산타워 N Seoul Tower".encode("utf-16-be"))])))

# ImageDescription in CP949, as Korean Windows tools wrote it.
jpeg("cp949-description.jpg", exif_segment(tiff("<", [
    (0x010E, ASCII, "제주도 성산일출봉".encode("cp949") + b"\0"),
])))

# IPTC declared UTF-8 (1:90 = ESC % G).
jpeg("iptc-utf8.jpg", iptc_segment([
    (1, 90, b"\x1b%G"),
    (2, 5, "Hallasan".encode()),
    (2, 105, "한라산 등반".encode()),
    (2, 120, "백록담까지 올라간 날".encode()),
    (2, 25, "한라산".encode()),
    (2, 25, "등산".encode()),
    (2, 25, b"hiking"),
]))

# IPTC without a character set, in CP949 (old Korean Photoshop).
jpeg("iptc-cp949.jpg", iptc_segment([
    (2, 120, "부산 광안대교 야경".encode("cp949")),
    (2, 25, "광안리".encode("cp949")),
]))

# XMP with language alternatives, a bag of keywords and a Lightroom hierarchy.
jpeg("xmp.jpg", xmp_segment(xmp(
    '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Haeundae Beach</rdf:li>'
    '<rdf:li xml:lang="ko-KR">해운대 해수욕장</rdf:li><rdf:li xml:lang="ja">海雲台海水浴場</rdf:li></rdf:Alt></dc:title>'
    '<dc:description><rdf:Alt><rdf:li xml:lang="en">Sunset over the sea</rdf:li>'
    '<rdf:li xml:lang="fr">Coucher de soleil</rdf:li></rdf:Alt></dc:description>'
    '<dc:subject><rdf:Bag><rdf:li>해변</rdf:li><rdf:li>beach</rdf:li><rdf:li>부산</rdf:li></rdf:Bag></dc:subject>'
    '<lr:hierarchicalSubject><rdf:Bag><rdf:li>장소|부산|해운대</rdf:li></rdf:Bag></lr:hierarchicalSubject>')))

# A damaged EXIF segment (IFD0 offset far past the end) followed by a good XMP one.
jpeg("corrupt-exif.jpg",
     exif_segment(b"II*\0" + struct.pack("<I", 0x7FFFFFF0) + b"\x05\x00garbage"),
     xmp_segment(xmp('<dc:title><rdf:Alt><rdf:li xml:lang="x-default">살아남은 제목</rdf:li></rdf:Alt></dc:title>')))

# PNG with an iTXt Title and a tEXt Description.
info = PngInfo()
info.add_itxt("Title", "남해 다랭이마을")
info.add_text("Description", "Rice terraces by the sea")
Image.new("L", (8, 8), 128).save("text-chunks.png", pnginfo=info)
