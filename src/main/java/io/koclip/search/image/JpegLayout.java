package io.koclip.search.image;

/**
 * The few facts of a JPEG's marker segments that decide how its samples become RGB: the number of
 * components in the frame header and the Adobe APP14 colour transform. Read by walking the marker
 * segments up to the first SOS; never decodes entropy-coded data.
 *
 * <p>Colour rules, as libjpeg (and so PIL) applies them to 4-component files: Adobe transform 2
 * means YCCK, anything else (transform 0, or no Adobe marker) means CMYK. PIL then treats every
 * CMYK JPEG as Adobe-inverted ({@code "CMYK;I"}), so its CMYK values are {@code 255 - stored}.
 *
 * @param components number of components in the first SOFn, or 0 if none was found before SOS/EOF
 * @param adobeTransform the APP14 transform byte (0 unknown/CMYK/RGB, 1 YCbCr, 2 YCCK), or -1 when
 *     there is no Adobe marker
 */
record JpegLayout(int components, int adobeTransform) {

    /** Whether the samples are YCCK (converted to CMYK by libjpeg before PIL sees them). */
    boolean isYcck() {
        return components == 4 && adobeTransform == 2;
    }

    /** Walks the marker segments of {@code jpeg}; tolerant: stops quietly at anything malformed. */
    static JpegLayout scan(byte[] jpeg) {
        int components = 0;
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
            } else if (marker == 0xEE
                    && length >= 14
                    && jpeg[body] == 'A'
                    && jpeg[body + 1] == 'd'
                    && jpeg[body + 2] == 'o'
                    && jpeg[body + 3] == 'b'
                    && jpeg[body + 4] == 'e') {
                adobeTransform = jpeg[body + 11] & 0xFF; // "Adobe" version(2) flags0(2) flags1(2) transform(1)
            }
            pos = end;
        }
        return new JpegLayout(components, adobeTransform);
    }

    private static boolean isStartOfFrame(int marker) {
        // C0-CF except DHT (C4), JPG (C8) and DAC (CC).
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }
}
