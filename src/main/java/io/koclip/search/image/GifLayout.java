package io.koclip.search.image;

import io.koclip.search.image.ImageRejectedException.Reason;

/**
 * The logical screen and first frame of a GIF, read by walking its blocks up to the end of the
 * first frame's image data (which must be complete: the JDK reader silently pads a truncated
 * frame). PIL decodes the first frame onto a canvas of the logical screen size (grown to fit the
 * frame), filled with the frame's transparent index if it has one, else index 0; {@link #compose}
 * does the same so that a frame smaller than the screen gives PIL's image, not a cropped one.
 *
 * @param screenWidth logical screen width
 * @param screenHeight logical screen height
 * @param left first frame's left offset on the screen
 * @param top first frame's top offset on the screen
 * @param width first frame's width
 * @param height first frame's height
 * @param transparentIndex the first frame's transparent palette index, or -1
 */
record GifLayout(int screenWidth, int screenHeight, int left, int top, int width, int height, int transparentIndex) {

    /** Canvas width, as PIL sizes it: the screen, grown to hold the frame. */
    int canvasWidth() {
        return Math.max(screenWidth, left + width);
    }

    /** Canvas height, as PIL sizes it: the screen, grown to hold the frame. */
    int canvasHeight() {
        return Math.max(screenHeight, top + height);
    }

    /** Whether the frame covers the canvas exactly, so the decoded frame is the image. */
    boolean frameIsCanvas() {
        return left == 0 && top == 0 && width == canvasWidth() && height == canvasHeight();
    }

    /**
     * Places the decoded first frame (packed RGB, {@code frameWidth × frameHeight}) on the canvas,
     * the rest filled with {@code fill} (the RGB of the transparent index, or of index 0).
     */
    int[] compose(int[] frame, int frameWidth, int frameHeight, int fill) {
        int canvasWidth = canvasWidth();
        int[] canvas = new int[Math.multiplyExact(canvasWidth, canvasHeight())];
        java.util.Arrays.fill(canvas, fill);
        for (int y = 0; y < frameHeight; y++) {
            System.arraycopy(frame, y * frameWidth, canvas, (top + y) * canvasWidth + left, frameWidth);
        }
        return canvas;
    }

    /** Walks the blocks of {@code b} (a GIF by signature) and checks the first frame is complete. */
    static GifLayout read(byte[] b) throws ImageRejectedException {
        if (b.length < 13) {
            throw corrupt("truncated: " + b.length + " bytes, shorter than a GIF header");
        }
        int screenWidth = u16(b, 6);
        int screenHeight = u16(b, 8);
        int pos = 13 + colourTableBytes(b[10]);
        int transparentIndex = -1;
        while (true) {
            if (pos >= b.length) {
                throw corrupt("truncated at byte " + b.length + " before the first image");
            }
            int block = b[pos] & 0xFF;
            switch (block) {
                case 0x21 -> {
                    // Graphic control extension: size 4, packed, delay(2), transparent index.
                    if (pos + 7 < b.length && (b[pos + 1] & 0xFF) == 0xF9 && (b[pos + 2] & 0xFF) == 4) {
                        transparentIndex = (b[pos + 3] & 0x01) != 0 ? b[pos + 6] & 0xFF : -1;
                    }
                    pos = skipSubBlocks(b, pos + 2, "extension block");
                }
                case 0x2C -> {
                    if (pos + 10 > b.length) {
                        throw corrupt("truncated in the first image descriptor at byte " + pos);
                    }
                    int data = pos + 10 + colourTableBytes(b[pos + 9]) + 1; // + LZW minimum code size
                    skipSubBlocks(b, data, "first frame's image data");
                    return new GifLayout(
                            screenWidth,
                            screenHeight,
                            u16(b, pos + 1),
                            u16(b, pos + 3),
                            u16(b, pos + 5),
                            u16(b, pos + 7),
                            transparentIndex);
                }
                case 0x3B -> throw corrupt("no image: trailer at byte " + pos + " before any frame");
                default -> throw corrupt("unknown block type 0x" + Integer.toHexString(block) + " at byte " + pos);
            }
        }
    }

    private static int u16(byte[] b, int pos) {
        return (b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8;
    }

    private static int colourTableBytes(byte packed) {
        return (packed & 0x80) != 0 ? 3 << ((packed & 0x07) + 1) : 0;
    }

    /** Skips data sub-blocks starting at {@code pos}; returns the position after the terminator. */
    private static int skipSubBlocks(byte[] b, int pos, String what) throws ImageRejectedException {
        while (true) {
            if (pos >= b.length) {
                throw corrupt("truncated in the " + what + " (file ends at byte " + b.length + ")");
            }
            int size = b[pos] & 0xFF;
            pos += 1 + size;
            if (size == 0) {
                return pos;
            }
        }
    }

    private static ImageRejectedException corrupt(String detail) {
        return new ImageRejectedException(Reason.CORRUPT, "corrupt gif: " + detail);
    }
}
