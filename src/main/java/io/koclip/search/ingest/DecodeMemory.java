package io.koclip.search.ingest;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * A heap budget for decoded images shared by the decode workers, in MiB. A worker reserves what its
 * image will take before decoding (estimated from the header) and releases it once the pixels are
 * turned into a tensor. An image larger than the whole budget reserves all of it and so decodes
 * alone. With {@code -Xmx1g} the budget is 512 MiB: five 12-megapixel JPEGs (about 96 MiB each at 8
 * bytes per pixel) at a time, whatever the number of workers.
 *
 * <p>Thread-safe.
 */
final class DecodeMemory {
    private final int totalMiB;
    private final Semaphore permits;

    DecodeMemory(int totalMiB) {
        if (totalMiB < 1) {
            throw new IllegalArgumentException("totalMiB: " + totalMiB + " must be >= 1");
        }
        this.totalMiB = totalMiB;
        this.permits = new Semaphore(totalMiB, true);
    }

    /** Half the heap, at least 64 MiB. */
    static DecodeMemory forHeap(long maxHeapBytes) {
        return new DecodeMemory((int) Math.max(64, Math.min(Integer.MAX_VALUE, (maxHeapBytes / 2) >> 20)));
    }

    int totalMiB() {
        return totalMiB;
    }

    /**
     * Blocks until {@code bytes} (rounded up to MiB, capped at the total) are available.
     *
     * @param waited adds the time spent waiting, if not null
     * @return the MiB reserved, to pass to {@link #release}
     */
    int reserve(long bytes, @Nullable LongAdder waited) throws InterruptedException {
        int mib = bytes >= (long) totalMiB << 20 ? totalMiB : (int) Math.max(1, (bytes + (1 << 20) - 1) >> 20);
        if (!permits.tryAcquire(mib)) {
            long t0 = System.nanoTime();
            permits.acquire(mib);
            if (waited != null) {
                waited.add(System.nanoTime() - t0);
            }
        }
        return mib;
    }

    void release(int mib) {
        if (mib > 0) {
            permits.release(mib);
        }
    }

    int availableMiB() {
        return permits.availablePermits();
    }
}
