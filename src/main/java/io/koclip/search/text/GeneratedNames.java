package io.koclip.search.text;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names and texts that cameras, phones and apps generate, which say nothing a person would search
 * for: they are left out of an image's text. Each pattern has a name (used by the tests, one test per
 * pattern) and matches case-insensitively.
 *
 * <ul>
 *   <li>{@link #FILE_NAMES} match a whole file name without extension, optionally followed by a copy
 *       suffix ({@link #COPY_SUFFIX}: {@code IMG_1234 (1)}, {@code IMG_1234-2}, {@code IMG_1234 copy},
 *       {@code IMG_1234 사본}, {@code -edited}).
 *   <li>{@link #FOLDER_NAMES} match a whole folder name.
 *   <li>{@link #EMBEDDED} are also cut out of a longer name, at word boundaries: {@code IMG_0012 경복궁}
 *       keeps {@code 경복궁}.
 *   <li>{@link #DESCRIPTIONS} match a whole embedded description that a camera writes by itself
 *       ({@code OLYMPUS DIGITAL CAMERA}) or that lost its letters ({@code ????}, from a tool that could
 *       not encode Korean).
 * </ul>
 *
 * <p>Thread-safe: immutable.
 */
final class GeneratedNames {
    /** A named regular expression. */
    record NamedPattern(String name, Pattern pattern) {
        boolean matches(String s) {
            return pattern.matcher(s).matches();
        }
    }

    private static final int FLAGS = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;

    /** Copies and edits: {@code " (1)"}, {@code "-2"}, {@code "~3"}, {@code " copy"}, {@code " 사본"}, {@code "-edited"}, {@code "_편집됨"}. */
    static final String COPY_SUFFIX = "(?:[ _~-]?(?:\\(\\d{1,3}\\)|copy|사본|edited|편집됨|편집|\\d{1,3}))*";

    // Date and time as phones and cameras write them: 20240101, 2024-01-01, 20240101_123456,
    // 2024-01-01 12.34.56, 2024-01-01T12:34:56.789, 2024-01-01 오후 3.04.05 (macOS in Korean), AM/PM after.
    private static final String DATE_TIME = "(?:19|20)\\d{2}[-_.]?[01]\\d[-_.]?[0-3]\\d"
            + "(?:[ _T.-]*(?:(?:AM|PM|오전|오후)[ _]*)?[0-2]?\\d[-_.:h]?[0-5]\\d(?:[-_.:m]?[0-5]\\d(?:[-_.]?\\d{1,9})?)?)?"
            + "(?:[ _-]*(?:AM|PM|오전|오후))?";
    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    // 16 or more hex digits with at least one digit: content hashes, message ids.
    private static final String HEX = "(?=[a-f]*\\d)[0-9a-f]{16,}";

    /** Camera and app name patterns that also appear inside longer names (see {@link #EMBEDDED}). */
    private static final List<NamedPattern> CAMERA = List.of(
            // iPhone, Canon, Android: IMG_1234, IMG1234, IMG_E1234 (edited), IMG_20240101_123456(_123).
            named("img", "IMG[_-]?E?\\d{3,}(?:[_-]\\d{3,})*"),
            named("whatsapp", "IMG-\\d{8}-WA\\d{3,}"),
            // Canon's Adobe RGB files and movies.
            named("canon", "(?:_MG|MVI)_\\d{4}"),
            // Nikon DSC_0001 and _DSC0001, Nikon Coolpix DSCN0001, Fujifilm DSCF1234, Sony DSC01234.
            named("dsc", "_?DSC[NF_]?\\d{3,}"),
            // Google Pixel: PXL_20240101_123456789, with .MP, .PORTRAIT, .NIGHT tails.
            named("pixel", "PXL_\\d{8}_\\d{6,9}(?:[._][A-Z]+)*"),
            // Panasonic P1000123 (folder 100 + number), Olympus PA010001 (month 1-9, A-C + day + number).
            named("panasonic-olympus", "P[1-9A-C]\\d{6}"),
            // GoPro: GOPR0001, GP010001, GH010001, GX010001, GS010001.
            named("gopro", "G(?:OPR|[PHXS]\\d{2})\\d{4}"),
            // DJI: DJI_0001, DJI_0001_W, DJI_20240101123456_0001_D.
            named("dji", "DJI_(?:\\d{14}_)?\\d{4}(?:_[A-Z]+)?"),
            // Phone videos: VID_20240101_123456(789), VID-20240101-WA0001, VID_1234; MOV_1234.
            named("video", "VID[_-]?\\d{8}(?:[_-]?\\d{6,9}|-WA\\d{3,})|VID[_-]\\d{3,}|MOV_?\\d{4}"),
            // Screenshots: Screenshot_20240101-123456_KakaoTalk, Screen Shot 2020-01-01 at 10.00.00 AM,
            // 스크린샷 2024-01-01 오후 3.04.05, 캡처 (Windows Snipping Tool).
            named("screenshot", "(?:Screenshot|Screen Shot|스크린샷|캡처|Capture)(?:[ _-].*)?"),
            // KakaoTalk: KakaoTalk_Photo_2024-01-01-12-34-56(_001), KakaoTalk_20240101_123456789.
            named("kakaotalk", "KakaoTalk_(?:Photo_|Video_|Snapshot_)?\\d[\\d_-]*"),
            // Facebook: FB_IMG_1704067200000, 123456789_123456789012345_1234567890123456789_n; Messenger received_123.
            named("facebook", "FB_IMG_\\d+|\\d+_\\d+_\\d+_[nobst]|received_\\d+"),
            // Samsung SAM_0001, Casio CIMG0001, Pentax IMGP0001, Sigma SDIM0001, HP HPIM0001, HTC IMAG0001,
            // Kodak 100_0001 and DCP_0001, generic PICT0001, Leica L1000001, Ricoh R0000001, Hasselblad B0000001.
            named(
                    "other-cameras",
                    "SAM_\\d{4}|CIMG\\d{4}|IMGP\\d{4}|SDIM\\d{4}|HPIM\\d{4}|IMAG\\d{4}|\\d{3}_\\d{4}|DCP_?\\d{4}"
                            + "|PICT\\d{4}|[LRB]\\d{7}"),
            named("uuid", UUID),
            named("hex", HEX),
            named("date-time", DATE_TIME));

    /** Whole file names (without extension) to ignore. */
    static final List<NamedPattern> FILE_NAMES = concat(
            CAMERA,
            named("number", "\\d+"),
            // Names apps give when there is nothing to say: image.png, image (1).png, 사진.jpg, 제목 없음.png.
            named("generic", "image|img|photo|picture|pic|untitled|unnamed|download|사진|이미지|제목 ?없음|무제"));

    /** Whole folder names to ignore. */
    static final List<NamedPattern> FOLDER_NAMES = List.of(
            named("dcim", "DCIM"),
            // DCF folders: 100CANON, 100_PANA, 100MSDCF, 100APPLE, 100GOPRO, 101ND750.
            named("dcf", "\\d{3}[A-Z0-9_]{5}"),
            named(
                    "app-folders",
                    "Camera(?: Roll| Uploads)?|Screenshots?|스크린샷|KakaoTalk|Pictures|Photos|사진|Downloads?|다운로드"
                            + "|WhatsApp Images?|Images?|tmp|temp|(?:새 폴더|New folder)(?: ?\\(\\d+\\))?"),
            named("uuid", UUID),
            named("hex", HEX),
            named("date-time", DATE_TIME),
            // Numbers other than a year: a folder named 2024 is a year people search for.
            named("number", "(?!(?:19|20)\\d{2}$)\\d+"));

    /** Patterns cut out of longer names. Numbers and generic words are not: "2024" and "photo of mom" keep them. */
    static final List<NamedPattern> EMBEDDED =
            CAMERA.stream().filter(p -> !p.name().equals("screenshot")).toList();

    /** Whole embedded descriptions that carry no words of the owner. */
    static final List<NamedPattern> DESCRIPTIONS = List.of(
            named(
                    "camera-boilerplate",
                    "OLYMPUS DIGITAL CAMERA|SONY DSC|(?:KONICA )?MINOLTA DIGITAL CAMERA|KODAK .*CAMERA|DIGITAL CAMERA"
                            + "|SAMSUNG(?: DIGITAL CAMERA| CAMERA PICTURES)?|Exif_JPEG_PICTURE|JPEG PICTURE|AppleMark"
                            + "|LEAD Technologies.*|CREATOR: gd-jpeg.*|Created with GIMP|Screenshot"),
            named("placeholder", "default|untitled|image|picture|photo|description|no description|제목 없음"),
            // No letter at all: "????" from a writer that could not encode Hangul, "0", "-----".
            named("no-letters", "[^\\p{L}]*"));

    private static final Pattern EMBEDDED_ANY = Pattern.compile(
            "(?<![\\p{L}\\p{N}])(?:"
                    + String.join(
                            "|",
                            EMBEDDED.stream().map(p -> p.pattern().pattern()).toList())
                    + ")(?![\\p{L}\\p{N}])",
            FLAGS);

    private static final Pattern FILE_NAME_ANY = Pattern.compile(
            "(?:"
                    + String.join(
                            "|",
                            FILE_NAMES.stream().map(p -> p.pattern().pattern()).toList()) + ")" + COPY_SUFFIX,
            FLAGS);

    private GeneratedNames() {}

    static boolean isGeneratedFileName(String stem) {
        return FILE_NAME_ANY.matcher(stem.strip()).matches();
    }

    static boolean isGeneratedFolderName(String name) {
        String s = name.strip();
        return FOLDER_NAMES.stream().anyMatch(p -> p.matches(s));
    }

    static boolean isBoilerplateDescription(String cleaned) {
        return DESCRIPTIONS.stream().anyMatch(p -> p.matches(cleaned.strip()));
    }

    /** {@code name} with every {@link #EMBEDDED} match replaced by a space. */
    static String withoutEmbedded(String name) {
        Matcher m = EMBEDDED_ANY.matcher(name);
        return m.replaceAll(" ");
    }

    private static NamedPattern named(String name, String regex) {
        return new NamedPattern(name, Pattern.compile(regex, FLAGS));
    }

    private static List<NamedPattern> concat(List<NamedPattern> first, NamedPattern... more) {
        return java.util.stream.Stream.concat(first.stream(), java.util.Arrays.stream(more))
                .toList();
    }
}
