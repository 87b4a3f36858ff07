package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class BatcherTest {
    final IngestControl control = new IngestControl(() -> false);
    final LongAdder idle = new LongAdder();

    @Test
    void batchesNeverExceedTheSizeAndKeepTheOrder() throws InterruptedException {
        Handoff<Integer> source = new Handoff<>("test", 100, 1, control);
        for (int i = 0; i < 10; i++) {
            source.put(i, null);
        }
        source.producerDone();
        // A linger of an hour: batches must fill from what is waiting, not by waiting.
        Batcher<Integer> batcher = new Batcher<>(source, 4, TimeUnit.HOURS.toNanos(1));
        assertThat(batcher.next(idle)).containsExactly(0, 1, 2, 3);
        assertThat(batcher.next(idle)).containsExactly(4, 5, 6, 7);
        assertThat(batcher.next(idle))
                .as("the hand-off closed: a partial batch at once")
                .containsExactly(8, 9);
        assertThat(batcher.next(idle)).isNull();
    }

    @Test
    void withoutLingerABatchIsWhatIsWaiting() throws InterruptedException {
        Handoff<Integer> source = new Handoff<>("test", 100, 1, control);
        source.put(1, null);
        source.put(2, null);
        Batcher<Integer> batcher = new Batcher<>(source, 16, 0);
        assertThat(batcher.next(idle)).containsExactly(1, 2);
        source.put(3, null);
        assertThat(batcher.next(idle)).containsExactly(3);
        source.producerDone();
        assertThat(batcher.next(idle)).isNull();
    }

    @Test
    void aRecordArrivingWhileTheBatchLingersJoinsIt() throws Exception {
        Handoff<Integer> source = new Handoff<>("test", 100, 1, control);
        source.put(1, null);
        Thread producer = new Thread(() -> {
            try {
                Thread.sleep(20);
                source.put(2, null);
                source.producerDone();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        Batcher<Integer> batcher = new Batcher<>(source, 2, TimeUnit.HOURS.toNanos(1));
        // Full at 2 (or the close), whichever the linger of an hour sees first: never a batch of one.
        assertThat(batcher.next(idle)).containsExactly(1, 2);
        producer.join();
        assertThat(idle.sum())
                .as("the wait for the second record is encoder idle time")
                .isPositive();
    }
}
