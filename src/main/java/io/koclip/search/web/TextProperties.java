package io.koclip.search.web;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code koclip.text.*}: how the images' text is analyzed (docs/operations.md, "Text sources").
 *
 * @param userDictionary a Nori user dictionary file ({@code koclip.text.user-dictionary}): UTF-8, one
 *     entry per line, {@code #} comments; a word ({@code 해리단길}) is kept whole, a word followed by its
 *     parts ({@code 다랭이마을 다랭이 마을}) also decompounds so. Used at index and at query time by the
 *     Lucene backend; changing it changes the terms of documents indexed afterwards only (reindex to
 *     apply it to all). Unset: none
 */
@Validated
@ConfigurationProperties("koclip.text")
record TextProperties(@Nullable Path userDictionary) {}
