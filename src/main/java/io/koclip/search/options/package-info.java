/**
 * The picocli option groups ({@code @Mixin}s) that the user commands ({@code cli}) and the benchmarks
 * ({@code bench}) share: which model bundle to load and how ({@link io.koclip.search.options.ModelMixin}),
 * which index to work on and through which backend ({@link io.koclip.search.options.IndexMixin}). They
 * live here, not in {@code cli}, so that {@code bench} does not depend on the user commands.
 */
package io.koclip.search.options;
