package io.koclip.search.web;

import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.koclip.search.search.DocumentNotFoundException;
import io.koclip.search.search.ImageStore;
import io.koclip.search.search.IndexNotReadyException;
import io.koclip.search.search.StoredImage;
import io.koclip.search.search.Thumbnail;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(ImageController.class)
@WebSlice
class ImageControllerTest {
    @Autowired
    MockMvc mvc;

    @MockitoBean
    ImageStore images;

    @TempDir
    Path folder;

    @Test
    void originalHasContentTypeEtagAndCacheControl() throws Exception {
        Path file = folder.resolve("a.png");
        Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        when(images.original("a")).thenReturn(new StoredImage(file, "image/png", "\"abc123\""));
        mvc.perform(get("/api/v1/images/a"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_PNG))
                .andExpect(header().string("ETag", "\"abc123\""))
                .andExpect(header().string("Cache-Control", "max-age=3600, public"))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(content().bytes(Files.readAllBytes(file)));
    }

    @Test
    void conditionalGetIs304() throws Exception {
        Path file = folder.resolve("a.png");
        Files.write(file, new byte[] {1});
        when(images.original("a")).thenReturn(new StoredImage(file, "image/png", "\"abc123\""));
        mvc.perform(get("/api/v1/images/a").header("If-None-Match", "\"abc123\""))
                .andExpect(status().isNotModified());
    }

    @Test
    void thumbnailIsJpegWithItsOwnEtag() throws Exception {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0};
        when(images.thumbnail("a")).thenReturn(new Thumbnail(jpeg, "\"abc123-t320\""));
        mvc.perform(get("/api/v1/images/a/thumbnail"))
                .andExpect(status().isOk())
                .andExpect(content().contentType(MediaType.IMAGE_JPEG))
                .andExpect(header().string("ETag", "\"abc123-t320\""))
                .andExpect(content().bytes(jpeg));
        mvc.perform(get("/api/v1/images/a/thumbnail").header("If-None-Match", "\"abc123-t320\""))
                .andExpect(status().isNotModified());
    }

    @Test
    void unknownIdIs404Problem() throws Exception {
        when(images.original("nope")).thenThrow(new DocumentNotFoundException("nope"));
        when(images.thumbnail("nope")).thenThrow(new DocumentNotFoundException("nope"));
        mvc.perform(get("/api/v1/images/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("image-not-found"));
        mvc.perform(get("/api/v1/images/nope/thumbnail"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void imageWhileIndexNotReadyIs503() throws Exception {
        when(images.original("a")).thenThrow(new IndexNotReadyException("first ingest running"));
        mvc.perform(get("/api/v1/images/a"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().exists("Retry-After"));
    }
}
