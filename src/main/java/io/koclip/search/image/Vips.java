package io.koclip.search.image;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handful of libvips calls the decoder needs, bound with Java's Foreign Function &amp; Memory
 * API (no JNI, no third-party binding). The library is loaded by its soname {@code libvips.so.42}
 * (the unversioned {@code libvips.so} exists only with the -dev package), once per process, on
 * first use; {@link #available()} says whether that worked, and {@link #status()} says why not.
 *
 * <p>Set-up at load: {@code vips_init}; the operation cache off ({@code vips_cache_set_max(0)}:
 * cached operations would keep every decoded image's buffers alive); libvips' own worker threads
 * at 1 per pipeline ({@code vips_concurrency_set(1)}: callers decode on their own threads, and
 * JPEG decoding is serial anyway); loaders marked untrusted blocked
 * ({@code vips_block_untrusted_set}, libvips 8.13+) — the decoder only calls the JPEG and HEIF
 * loaders by name, never libvips' own format sniffing.
 *
 * <p>Ownership: every {@code VipsImage*} a loader returns is released with {@code g_object_unref},
 * every buffer from {@code vips_image_write_to_memory} and every error string with {@code g_free}
 * (by {@link VipsDecoder}, in {@code finally} blocks). libvips' error buffer is process-global:
 * it is copied and cleared right after the failing call ({@code vips_error_buffer_copy}, one atomic
 * step under libvips' own lock), so a concurrent failure on another thread can at worst add its
 * line to this one's message, never take this one's away.
 *
 * <p>Thread-safe: the method handles are immutable; libvips is thread-safe after {@code vips_init}.
 */
final class Vips {
    private static final Logger log = LoggerFactory.getLogger(Vips.class);

    /** System property that switches the native path off ({@code imageio}) or insists on it ({@code libvips}). */
    static final String BACKEND_PROPERTY = "koclip.image.decoder";

    static final String SONAME = "libvips.so.42";

    /** {@code VipsFailOn}: refuse truncated files (a cut JPEG otherwise decodes "fine", grey at the bottom). */
    static final int FAIL_ON_TRUNCATED = 1;

    /** {@code VipsAccess}: top-to-bottom, no full-size intermediate copy. */
    static final int ACCESS_SEQUENTIAL = 1;

    /** {@code VipsBandFormat} values the decoder accepts. */
    static final int FORMAT_UCHAR = 0;

    static final int FORMAT_USHORT = 2;

    private final MethodHandle jpegloadBuffer;
    private final MethodHandle heifloadBuffer;
    private final MethodHandle imageGetWidth;
    private final MethodHandle imageGetHeight;
    private final MethodHandle imageGetBands;
    private final MethodHandle imageGetFormat;
    private final MethodHandle imageWriteToMemory;
    private final MethodHandle imageSetKill;
    private final MethodHandle errorBufferCopy;
    private final MethodHandle errorClear;
    private final MethodHandle objectUnref;
    private final MethodHandle free;
    private final String version;

    /** Constant C strings for option names, in the global arena: they live as long as the process. */
    final MemorySegment optShrink;

    final MemorySegment optFailOn;
    final MemorySegment optAccess;

    private Vips(SymbolLookup lib) throws Throwable {
        Linker linker = Linker.nativeLinker();
        // int vips_jpegload_buffer(void *buf, size_t len, VipsImage **out, ...): name/value pairs, NULL.
        jpegloadBuffer = linker.downcallHandle(
                find(lib, "vips_jpegload_buffer"),
                FunctionDescriptor.of(
                        JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT,
                        ADDRESS),
                Linker.Option.firstVariadicArg(3));
        // int vips_heifload_buffer(void *buf, size_t len, VipsImage **out, ...); no "page": the primary image.
        heifloadBuffer = linker.downcallHandle(
                find(lib, "vips_heifload_buffer"),
                FunctionDescriptor.of(
                        JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
                Linker.Option.firstVariadicArg(3));
        FunctionDescriptor intOfImage = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        imageGetWidth = linker.downcallHandle(find(lib, "vips_image_get_width"), intOfImage);
        imageGetHeight = linker.downcallHandle(find(lib, "vips_image_get_height"), intOfImage);
        imageGetBands = linker.downcallHandle(find(lib, "vips_image_get_bands"), intOfImage);
        imageGetFormat = linker.downcallHandle(find(lib, "vips_image_get_format"), intOfImage);
        // void *vips_image_write_to_memory(VipsImage *in, size_t *size): g_malloc'd, caller g_free's.
        imageWriteToMemory = linker.downcallHandle(
                find(lib, "vips_image_write_to_memory"), FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        imageSetKill =
                linker.downcallHandle(find(lib, "vips_image_set_kill"), FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT));
        errorBufferCopy = linker.downcallHandle(find(lib, "vips_error_buffer_copy"), FunctionDescriptor.of(ADDRESS));
        errorClear = linker.downcallHandle(find(lib, "vips_error_clear"), FunctionDescriptor.ofVoid());
        // GLib symbols resolve through libvips' own dependencies (dlsym searches its load graph).
        objectUnref = linker.downcallHandle(find(lib, "g_object_unref"), FunctionDescriptor.ofVoid(ADDRESS));
        free = linker.downcallHandle(find(lib, "g_free"), FunctionDescriptor.ofVoid(ADDRESS));

        MethodHandle init = linker.downcallHandle(find(lib, "vips_init"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        Arena global = Arena.global();
        if ((int) init.invokeExact(global.allocateFrom("koclip-search")) != 0) {
            throw new IllegalStateException("vips_init failed: " + takeError());
        }
        linker.downcallHandle(find(lib, "vips_cache_set_max"), FunctionDescriptor.ofVoid(JAVA_INT))
                .invokeExact(0);
        linker.downcallHandle(find(lib, "vips_concurrency_set"), FunctionDescriptor.ofVoid(JAVA_INT))
                .invokeExact(1);
        Optional<MemorySegment> blockUntrusted = lib.find("vips_block_untrusted_set");
        if (blockUntrusted.isPresent()) {
            linker.downcallHandle(blockUntrusted.get(), FunctionDescriptor.ofVoid(JAVA_INT))
                    .invokeExact(1);
        }
        // libvips reports recoverable oddities with g_warning on stderr ("heifload: ignoring nclx
        // profile", "error in tile 0 x 280" before the error we report anyway): per file, so an
        // ingest of a photo library would flood the console. Routed to this class's debug log.
        MethodHandle logSetHandler = linker.downcallHandle(
                find(lib, "g_log_set_handler"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
        MemorySegment handler = linker.upcallStub(
                MethodHandles.lookup()
                        .findStatic(
                                Vips.class,
                                "onLog",
                                MethodType.methodType(
                                        void.class,
                                        MemorySegment.class,
                                        int.class,
                                        MemorySegment.class,
                                        MemorySegment.class)),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, ADDRESS),
                global);
        int unused = (int) logSetHandler.invokeExact(
                global.allocateFrom("VIPS"), G_LOG_WARNING_MESSAGE_INFO, handler, MemorySegment.NULL);
        MethodHandle versionString =
                linker.downcallHandle(find(lib, "vips_version_string"), FunctionDescriptor.of(ADDRESS));
        version = ((MemorySegment) versionString.invokeExact()).reinterpret(64).getString(0);
        optShrink = global.allocateFrom("shrink");
        optFailOn = global.allocateFrom("fail_on");
        optAccess = global.allocateFrom("access");
    }

    /** {@code G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE | G_LOG_LEVEL_INFO}; criticals keep GLib's handler. */
    private static final int G_LOG_WARNING_MESSAGE_INFO = 1 << 4 | 1 << 5 | 1 << 6;

    /** GLib log handler (upcall, on whichever libvips thread warned): never throws into native code. */
    private static void onLog(MemorySegment domain, int level, MemorySegment message, MemorySegment userData) {
        try {
            if (log.isDebugEnabled()) {
                log.debug("libvips: {}", message.reinterpret(4096).getString(0));
            }
        } catch (RuntimeException e) {
            // A malformed message must not unwind through C frames (that would abort the JVM).
        }
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name)
                .orElseThrow(() -> new IllegalStateException(SONAME + " has no symbol " + name + " (libvips < 8.12?)"));
    }

    /** Loaded once, on first use: the class-holder idiom makes the load thread-safe and lazy. */
    private static final class Holder {
        static final @Nullable Vips INSTANCE;
        static final String STATUS;

        static {
            @Nullable Vips vips = null;
            String status;
            String wanted = System.getProperty(BACKEND_PROPERTY, "auto");
            if (wanted.equalsIgnoreCase("imageio")) {
                status = "off (" + BACKEND_PROPERTY + "=imageio)";
            } else {
                try {
                    vips = new Vips(SymbolLookup.libraryLookup(SONAME, Arena.global()));
                    status = "libvips " + vips.version;
                } catch (Throwable e) {
                    // IllegalArgumentException when the library is absent; anything else is a broken install.
                    status = "unavailable (" + SONAME + ": " + e.getMessage() + ")";
                }
            }
            INSTANCE = vips;
            STATUS = status;
            if (vips != null) {
                log.info("Image decoding: {} for JPEG, HEIC and AVIF; ImageIO for the other formats", status);
            } else if (wanted.equalsIgnoreCase("imageio")) {
                log.info("Image decoding: ImageIO only; native decoding {}", status);
            } else {
                log.info(
                        "Image decoding: ImageIO only; native decoding {}. Install libvips (Debian: apt-get install"
                                + " libvips42; macOS: brew install vips) for HEIC/AVIF and faster JPEG",
                        status);
            }
        }
    }

    /** The process's binding, or empty when libvips is absent or switched off. */
    static Optional<Vips> get() {
        return Optional.ofNullable(Holder.INSTANCE);
    }

    static boolean available() {
        return Holder.INSTANCE != null;
    }

    /** {@code "libvips 8.14.1"}, or why the native path is off: for logs and health. */
    static String status() {
        return Holder.STATUS;
    }

    /** {@code vips_jpegload_buffer(buf, len, out, "shrink", shrink, "fail_on", TRUNCATED, "access", SEQUENTIAL, NULL)}. */
    int jpegload(MemorySegment buf, long len, MemorySegment out, int shrink) throws Throwable {
        return (int) jpegloadBuffer.invokeExact(
                buf,
                len,
                out,
                optShrink,
                shrink,
                optFailOn,
                FAIL_ON_TRUNCATED,
                optAccess,
                ACCESS_SEQUENTIAL,
                MemorySegment.NULL);
    }

    /** {@code vips_heifload_buffer(buf, len, out, "fail_on", TRUNCATED, "access", SEQUENTIAL, NULL)}. */
    int heifload(MemorySegment buf, long len, MemorySegment out) throws Throwable {
        return (int) heifloadBuffer.invokeExact(
                buf, len, out, optFailOn, FAIL_ON_TRUNCATED, optAccess, ACCESS_SEQUENTIAL, MemorySegment.NULL);
    }

    int width(MemorySegment image) throws Throwable {
        return (int) imageGetWidth.invokeExact(image);
    }

    int height(MemorySegment image) throws Throwable {
        return (int) imageGetHeight.invokeExact(image);
    }

    int bands(MemorySegment image) throws Throwable {
        return (int) imageGetBands.invokeExact(image);
    }

    int format(MemorySegment image) throws Throwable {
        return (int) imageGetFormat.invokeExact(image);
    }

    /** Decodes the pixels into one g_malloc'd buffer; NULL on failure. {@code size} receives its byte length. */
    MemorySegment writeToMemory(MemorySegment image, MemorySegment size) throws Throwable {
        return (MemorySegment) imageWriteToMemory.invokeExact(image, size);
    }

    /** Asks a running evaluation of {@code image} to stop; safe from any thread while the image lives. */
    void kill(MemorySegment image) throws Throwable {
        imageSetKill.invokeExact(image, 1);
    }

    void unref(MemorySegment object) throws Throwable {
        objectUnref.invokeExact(object);
    }

    void free(MemorySegment pointer) throws Throwable {
        free.invokeExact(pointer);
    }

    /** Copies and clears libvips' error buffer: the text of the call that just failed, one line per error. */
    String takeError() throws Throwable {
        MemorySegment copy = (MemorySegment) errorBufferCopy.invokeExact();
        if (copy.equals(MemorySegment.NULL)) {
            return "";
        }
        try {
            return copy.reinterpret(Integer.MAX_VALUE).getString(0).strip();
        } finally {
            free(copy);
        }
    }

    /** Drops anything left in the error buffer (warnings a successful call may have logged there). */
    void clearError() throws Throwable {
        errorClear.invokeExact();
    }
}
