package io.koclip.search.web;

import io.koclip.search.index.SearchFilter;
import io.koclip.search.search.FilterRequest;
import io.swagger.v3.oas.annotations.Parameter;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The search filters as request parameters (documented for the OpenAPI document); {@link #toFilter()}
 * hands them to {@link FilterRequest}, the parser the {@code search} command uses too.
 *
 * @param folder only images under this folder of the source ({@code shapes/circles}); '/'-separated,
 *     relative, without {@code ..}
 * @param minWidth only images at least this many pixels wide
 * @param minHeight only images at least this many pixels tall
 * @param modifiedFrom only files modified at or after this: an ISO date ({@code 2024-05-01}, start of
 *     day, server time zone), an ISO date-time with offset, or epoch milliseconds
 * @param modifiedTo only files modified at or before this (a date means the end of that day)
 * @param format only these formats (repeat the parameter or separate with commas): jpeg, png, webp,
 *     gif, bmp, tiff
 */
record FilterParams(
        @Parameter(description = "Folder prefix, relative to the source folder", example = "red") @Nullable
        String folder,

        @Parameter(description = "Minimum width in pixels") @Nullable
        Integer minWidth,

        @Parameter(description = "Minimum height in pixels") @Nullable
        Integer minHeight,

        @Parameter(description = "Modified at or after (ISO date, ISO date-time or epoch ms)") @Nullable
        String modifiedFrom,

        @Parameter(description = "Modified at or before (ISO date, ISO date-time or epoch ms)") @Nullable
        String modifiedTo,

        @Parameter(description = "Formats: jpeg, png, webp, gif, bmp, tiff") @Nullable
        List<String> format) {

    SearchFilter toFilter() {
        return new FilterRequest(folder, minWidth, minHeight, modifiedFrom, modifiedTo, format).toFilter();
    }
}
