package io.koclip.search.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class HandoffTest {
    final IngestControl control = new IngestControl(() -> false);

    @Test
    void closesWhenTheLastProducerIsDoneAndDrainsFirst() throws InterruptedException {
        Handoff<String> handoff = new Handoff<>("test", 4, 2, control);
        handoff.put("a", null);
        handoff.producerDone();
        handoff.put("b", null);
        assertThat(handoff.isDrained()).isFalse();
        handoff.producerDone();
        assertThat(handoff.isDrained()).isFalse();
        assertThat(handoff.take()).isEqualTo("a");
        assertThat(handoff.take()).isEqualTo("b");
        assertThat(handoff.isDrained()).isTrue();
        assertThat(handoff.take()).isNull();
        assertThatThrownBy(() -> handoff.put("c", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test");
    }

    @Test
    void aFullHandoffBlocksTheProducerUntilTheConsumerTakesAndCountsTheWait() throws Exception {
        Handoff<Integer> handoff = new Handoff<>("test", 2, 1, control);
        LongAdder blocked = new LongAdder();
        handoff.put(1, blocked);
        handoff.put(2, blocked);
        assertThat(blocked.sum()).isZero();
        CountDownLatch putting = new CountDownLatch(1);
        Thread producer = new Thread(() -> {
            try {
                putting.countDown();
                handoff.put(3, blocked);
                handoff.producerDone();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        putting.await();
        Thread.sleep(50); // let the producer block on the full hand-off
        List<Integer> taken = new ArrayList<>();
        Integer next;
        while ((next = handoff.take()) != null) {
            taken.add(next);
        }
        producer.join();
        assertThat(taken).containsExactly(1, 2, 3);
        assertThat(blocked.sum()).isPositive();
    }

    @Test
    void weightsBoundTheRecordsWaitingAndAHeavyRecordStillPassesAlone() throws InterruptedException {
        Handoff<List<String>> handoff = new Handoff<>("test", 4, 1, List::size, control);
        handoff.put(List.of("a", "b", "c"), null);
        Thread producer = new Thread(() -> {
            try {
                handoff.put(List.of("d", "e"), null); // 3 + 2 > 4: waits for the first to be taken
                handoff.put(List.of("1", "2", "3", "4", "5", "6"), null); // heavier than the whole capacity
                handoff.producerDone();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        producer.start();
        assertThat(handoff.take()).containsExactly("a", "b", "c");
        assertThat(handoff.take()).containsExactly("d", "e");
        assertThat(handoff.take()).hasSize(6);
        assertThat(handoff.take()).isNull();
        producer.join();
    }

    @Test
    void aFatalErrorElsewhereUnblocksAWaitingStage() throws InterruptedException {
        Handoff<String> handoff = new Handoff<>("test", 1, 1, control);
        control.fail("other", new IllegalStateException("boom"));
        assertThatThrownBy(handoff::take).isInstanceOf(IngestControl.Aborted.class);
        handoff.put("fits", null); // room left: no wait, no abort check needed
        assertThatThrownBy(() -> handoff.put("full", null)).isInstanceOf(IngestControl.Aborted.class);
        assertThatThrownBy(() -> handoff.poll(1, TimeUnit.SECONDS)).isInstanceOf(IngestControl.Aborted.class);
    }
}
