package io.koclip.search.image;

/**
 * The facts of a JPEG's marker segments that decide how libjpeg (and so PIL) turns its samples
 * into RGB: the components of the first frame header, a JFIF APP0 marker, and the Adobe APP14
 * colour transform. Read by walking the marker segments up to the first SOS; never decodes
 * entropy-coded data.
 *
 * @param components number of components in the first SOFn, or 0 if none was found before SOS/EOF
 * @param componentIds the first three component ids (0 when absent)
 * @param jfif whether an APP0 JFIF marker was seen
 * @param adobeTransform the APP14 transform byte, or -1 when there is no Adobe marker
 */
record JpegLayout(int components, int[] componentIds, boolean jfif, int adobeTransform) {

    /** The colour space of the stored samples. */
    enum ColorSpace {
        GRAY,
        YCBCR,
        RGB,
        CMYK,
        YCCK,
        /** A component count libjpeg has no default for (2, or more than 4). */
        OTHER
    }

    /** libjpeg's {@code default_decompress_parms} (jdapimin.c), which PIL relies on. */
    ColorSpace colorSpace() {
        return switch (components) {
            case 1 -> ColorSpace.GRAY;
            case 3 -> {
                if (jfif) {
                    yield ColorSpace.YCBCR; // JFIF implies YCbCr
                }
                if (adobeTransform >= 0) {
                    yield adobeTransform == 0 ? ColorSpace.RGB : ColorSpace.YCBCR;
                }
                boolean rgbIds = componentIds[0] == 'R' && componentIds[1] == 'G' && componentIds[2] == 'B';
                yield rgbIds ? ColorSpace.RGB : ColorSpace.YCBCR; // ids 1, 2, 3 or unknown: YCbCr
            }
            case 4 -> adobeTransform > 0 ? ColorSpace.YCCK : ColorSpace.CMYK; // no Adobe marker: CMYK
            default -> ColorSpace.OTHER;
        };
    }

    /** Walks the marker segments of {@code jpeg}; tolerant: stops quietly at anything malformed. */
    static JpegLayout scan(byte[] jpeg) {
        int components = 0;
        int[] ids = new int[3];
        boolean jfif = false;
        int adobeTransform = -1;
        int pos = 2; // after SOI
        while (pos + 4 <= jpeg.length) {
            if ((jpeg[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = jpeg[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++; // fill byte
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                pos += 2; // standalone markers
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                break; // EOI or start of scan: the header is over
            }
            int length = (jpeg[pos + 2] & 0xFF) << 8 | (jpeg[pos + 3] & 0xFF);
            int body = pos + 4;
            int end = pos + 2 + length;
            if (length < 2 || end > jpeg.length) {
                break;
            }
            if (isStartOfFrame(marker) && components == 0 && length >= 8) {
                components = jpeg[body + 5] & 0xFF; // precision(1) height(2) width(2) components(1)
                for (int i = 0; i < Math.min(components, 3) && body + 6 + 3 * i < end; i++) {
                    ids[i] = jpeg[body + 6 + 3 * i] & 0xFF; // id(1) sampling(1) table(1)
                }
            } else if (marker == 0xE0 && length >= 7 && startsWith(jpeg, body, "JFIF\0")) {
                jfif = true;
            } else if (marker == 0xEE && length >= 14 && startsWith(jpeg, body, "Adobe")) {
                adobeTransform = jpeg[body + 11] & 0xFF; // "Adobe" version(2) flags0(2) flags1(2) transform(1)
            }
            pos = end;
        }
        return new JpegLayout(components, ids, jfif, adobeTransform);
    }

    private static boolean startsWith(byte[] b, int pos, String text) {
        for (int i = 0; i < text.length(); i++) {
            if (b[pos + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStartOfFrame(int marker) {
        // C0-CF except DHT (C4), JPG (C8) and DAC (CC).
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
