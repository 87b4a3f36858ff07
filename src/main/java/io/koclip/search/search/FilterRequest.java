package io.koclip.search.search;

import io.koclip.search.image.ImageFormat;
import io.koclip.search.index.SearchFilter;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The search filters as a user writes them, in the REST API's query parameters or the {@code search}
 * command's options; {@link #toFilter()} validates them (naming the parameter at fault) and builds the
 * {@link SearchFilter} that the index applies inside the query. One parser, so the API and the command
 * line filter alike.
 *
 * @param folder only images under this folder of the source ({@code shapes/circles}); '/'-separated,
 *     relative, without {@code ..}
 * @param minWidth only images at least this many pixels wide
 * @param minHeight only images at least this many pixels tall
 * @param modifiedFrom only files modified at or after this: an ISO date ({@code 2024-05-01}, start of
 *     day, local time zone), an ISO date-time with offset, or epoch milliseconds
 * @param modifiedTo only files modified at or before this (a date means the end of that day)
 * @param format only these formats (several entries, or entries separated with commas): jpeg, png,
 *     webp, gif, bmp, tiff; {@code jpg} and {@code tif} are accepted
 */
public record FilterRequest(
        @Nullable String folder,
        @Nullable Integer minWidth,
        @Nullable Integer minHeight,
        @Nullable String modifiedFrom,
        @Nullable String modifiedTo,
        @Nullable List<String> format) {

    /** No restriction. */
    public static final FilterRequest NONE = new FilterRequest(null, null, null, null, null, null);

    private static final Set<String> FORMATS = ImageFormat.ids();

    /**
     * The validated filter.
     *
     * @throws InvalidRequestException naming the parameter with a bad value
     */
    public SearchFilter toFilter() {
        String prefix = folder(folder);
        checkMin("minWidth", minWidth);
        checkMin("minHeight", minHeight);
        Long from = instant("modifiedFrom", modifiedFrom, false);
        Long to = instant("modifiedTo", modifiedTo, true);
        if (from != null && to != null && from > to) {
            throw new InvalidRequestException(
                    "modifiedFrom", "'" + modifiedFrom + "' is after modifiedTo '" + modifiedTo + "'");
        }
        Set<String> formats = new LinkedHashSet<>();
        if (format != null) {
            for (String entry : format) {
                for (String part : entry.split(",")) {
                    String f = part.strip().toLowerCase(Locale.ROOT);
                    if (f.isEmpty()) {
                        continue;
                    }
                    String name = f;
                    f = ImageFormat.forExtension(f).map(ImageFormat::id).orElse(name); // jpg, tif, heif, ...
                    if (!FORMATS.contains(f)) {
                        throw new InvalidRequestException(
                                "format", "'" + part.strip() + "' is not one of " + new java.util.TreeSet<>(FORMATS));
                    }
                    formats.add(f);
                }
            }
        }
        return new SearchFilter(prefix, minWidth, minHeight, from, to, formats);
    }

    private static @Nullable String folder(@Nullable String folder) {
        if (folder == null || folder.isBlank()) {
            return null;
        }
        String f = folder.strip().replace('\\', '/');
        while (f.startsWith("./")) {
            f = f.substring(2);
        }
        if (f.startsWith("/") || f.contains("\0")) {
            throw new InvalidRequestException("folder", "'" + folder + "' must be relative to the source folder");
        }
        for (String part : f.split("/")) {
            if (part.equals("..")) {
                throw new InvalidRequestException("folder", "'" + folder + "' must not contain '..'");
            }
        }
        if (f.isEmpty()) {
            return null;
        }
        return f.endsWith("/") ? f : f + "/";
    }

    private static void checkMin(String name, @Nullable Integer value) {
        if (value != null && value < 1) {
            throw new InvalidRequestException(name, value + " must be >= 1");
        }
    }

    /** Epoch milliseconds; a date alone means its first (or, for an upper bound, last) millisecond. */
    private static @Nullable Long instant(String name, @Nullable String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(v);
            }
            if (v.length() == 10) {
                LocalDate date = LocalDate.parse(v);
                ZoneId zone = ZoneId.systemDefault();
                return endOfDay
                        ? date.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1
                        : date.atStartOfDay(zone).toInstant().toEpochMilli();
            }
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return OffsetDateTime.parse(v).toInstant().toEpochMilli();
            }
            return LocalDateTime.parse(v)
                    .atZone(ZoneId.systemDefault())
                    .toInstant()
                    .toEpochMilli();
        } catch (DateTimeException | NumberFormatException e) {
            throw new InvalidRequestException(
                    name,
                    "'" + value + "' is not an ISO date (2024-05-01), date-time (2024-05-01T10:00:00Z) or epoch ms");
        }
    }
}
