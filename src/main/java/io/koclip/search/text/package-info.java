/**
 * The words people wrote about their pictures, gathered per image at ingest so that lexical search
 * can find what the embedding cannot know (a place, a person, an event, a product code).
 *
 * <p>Sources, each kept apart in {@link io.koclip.search.text.ImageText} so that the index can weight
 * them ({@link io.koclip.search.text.TextSource}):
 *
 * <ul>
 *   <li>metadata embedded in the file: EXIF ImageDescription and UserComment, the Windows XP fields
 *       (XPTitle, XPComment, XPKeywords, XPSubject), IPTC Object Name, Headline, Caption/Abstract and
 *       Keywords, XMP dc:title, dc:description, dc:subject, photoshop:Headline, lr:hierarchicalSubject;
 *   <li>sidecar files beside the image: {@code NAME.txt}, {@code NAME.EXT.txt}, {@code NAME.xmp},
 *       {@code NAME.EXT.xmp};
 *   <li>the folder and file names of the image's path, camera-generated names left out;
 *   <li>a caption file of a data set, in the formats the {@code eval} command reads.
 * </ul>
 *
 * <p>Nothing here throws on bad input: a bad encoding, a damaged metadata segment, a binary or huge
 * sidecar is a warning returned beside the text ({@link io.koclip.search.text.ExtractedText}), for the
 * ingest report. The entry point is {@link io.koclip.search.text.ImageTextReader}.
 */
@NullMarked
package io.koclip.search.text;

import org.jspecify.annotations.NullMarked;
