package io.hyperinfer.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir
  Path dir;

  @Test
  void shouldSaveOwnerOnlyFileAndLoadItBack() throws Exception {
    CredentialStore store = new CredentialStore(dir.resolve("sub").resolve("credentials.json"));
    assertEquals(0, store.load().size());
    store.save("tok", "hi_key");
    assertEquals("tok", store.load().path("session").asText());
    assertEquals("hi_key", store.load().path("apiKey").asText());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("sub").resolve("credentials.json"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub"))));
    store.save(null, null);
    assertFalse(store.load().has("session"));
  }

  @Test
  void shouldStartEmptyWhenFileIsCorrupt() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), "{not json");
    assertEquals(0, new CredentialStore(file).load().size());
    Files.writeString(file, "[1,2]");
    assertEquals(0, new CredentialStore(file).load().size());
  }

  @Test
  void shouldTightenFileWhenItWasLeftReadableByOthers() throws Exception {
    Path file = dir.resolve("credentials.json");
    new CredentialStore(file).save("tok", null);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("tok", new CredentialStore(file).load().path("session").asText());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
