package io.koclip.search.image;

import java.io.IOException;
import java.util.Objects;
import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@code ImageInputStream} over bytes already in memory (no cache file, no copy) whose reads
 * fail once its {@link DecodeDeadline} has expired: the mechanism that stops decoders that ignore
 * {@code ImageReader.abort()} from another thread.
 *
 * <p>Not thread-safe, like every {@code ImageInputStream}: used by one reader on one thread.
 */
final class ByteArrayImageInputStream extends ImageInputStreamImpl {
    /** Message of the exception thrown after expiry; the decoder maps it to a timeout. */
    static final String EXPIRED = "decode time budget exceeded";

    private final byte[] data;
    private final DecodeDeadline deadline;

    ByteArrayImageInputStream(byte[] data, DecodeDeadline deadline) {
        this.data = Objects.requireNonNull(data, "data");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    @Override
    public int read() throws IOException {
        checkOpenAndTime();
        bitOffset = 0;
        if (streamPos >= data.length) {
            return -1;
        }
        return data[(int) streamPos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        checkOpenAndTime();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= data.length) {
            return -1;
        }
        int n = (int) Math.min(len, data.length - streamPos);
        System.arraycopy(data, (int) streamPos, b, off, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public boolean isCached() {
        return true;
    }

    @Override
    public boolean isCachedMemory() {
        return true;
    }

    private void checkOpenAndTime() throws IOException {
        checkClosed();
        if (deadline.markedExpired()) {
            throw new IIOException(EXPIRED);
        }
    }
}
