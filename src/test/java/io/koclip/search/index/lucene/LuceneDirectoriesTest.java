package io.koclip.search.index.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Path;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneDirectoriesTest {
    @TempDir
    Path folder;

    @AfterEach
    void clearProperty() {
        System.clearProperty(LuceneDirectories.PROPERTY);
    }

    /** MMapDirectory keeps the advice function in a private field and has no getter. */
    private static Object readAdviceOf(Directory directory) throws ReflectiveOperationException {
        Field field = MMapDirectory.class.getDeclaredField("readAdvice");
        field.setAccessible(true);
        return field.get(directory);
    }

    @Test
    void byDefaultTheFormatsHintsChooseTheReadAdvice() throws Exception {
        try (Directory directory = LuceneDirectories.open(folder)) {
            assertThat(directory).isInstanceOf(MMapDirectory.class);
            assertThat(readAdviceOf(directory)).isSameAs(MMapDirectory.ADVISE_BY_CONTEXT);
        }
    }

    @Test
    void normalLeavesLucenesDefault() throws Exception {
        Object lucenesDefault;
        try (MMapDirectory plain = new MMapDirectory(folder)) {
            lucenesDefault = readAdviceOf(plain);
        }
        assertThat(lucenesDefault).isNotSameAs(MMapDirectory.ADVISE_BY_CONTEXT);
        System.setProperty(LuceneDirectories.PROPERTY, " Normal ");
        assertThat(LuceneDirectories.readAdvice()).isEqualTo(LuceneDirectories.ReadAdvice.NORMAL);
        try (Directory directory = LuceneDirectories.open(folder)) {
            assertThat(readAdviceOf(directory)).isSameAs(lucenesDefault);
        }
    }

    @Test
    void anotherValueFailsWithBothNamed() {
        System.setProperty(LuceneDirectories.PROPERTY, "random");
        assertThatThrownBy(() -> LuceneDirectories.open(folder))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dkoclip.index.read-advice=random: expected by-context (the default) or normal");
    }
}
