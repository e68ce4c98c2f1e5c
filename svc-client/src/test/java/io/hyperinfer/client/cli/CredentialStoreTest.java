package io.hyperinfer.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.client.cli.CredentialStore.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {
  @TempDir
  Path dir;

  @Test
  void shouldSaveOwnerOnlyFileAndLoadItBack() throws Exception {
    CredentialStore store = new CredentialStore(dir.resolve("sub").resolve("credentials.json"));
    assertEquals(Optional.empty(), store.current());
    store.put(new Account("a@example.com", "tok", "hi_key", "k1"));
    assertEquals(Optional.of(new Account("a@example.com", "tok", "hi_key", "k1")), store.current());
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("sub").resolve("credentials.json"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sub"))));
    store.put(store.current().orElseThrow().withoutKey());
    assertEquals(new Account("a@example.com", "tok", null, null), store.current().orElseThrow());
  }

  @Test
  void shouldSwitchAndForgetWhenSeveralAccountsAreSaved() {
    CredentialStore store = new CredentialStore(dir.resolve("credentials.json"));
    store.put(new Account("a@example.com", "ta", null, null));
    store.put(new Account("b@example.com", "tb", "kb", "idb"));
    assertEquals(List.of("a@example.com", "b@example.com"), store.emails());
    assertEquals("b@example.com", store.current().orElseThrow().email());
    assertTrue(store.use("a@example.com"));
    assertEquals("ta", new CredentialStore(dir.resolve("credentials.json")).current().orElseThrow().session());
    assertFalse(store.use("c@example.com"));
    assertTrue(store.forget("a@example.com"));
    assertEquals(Optional.empty(), store.current(), "no account in use after forgetting the current one");
    assertEquals(List.of("b@example.com"), store.emails());
    assertFalse(store.forget("a@example.com"));
    assertEquals("kb", store.find("b@example.com").orElseThrow().apiKey());
  }

  @Test
  void shouldReadTheFirstFormatAsOneAccountWhenUpgrading() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), "{\"session\":\"tok\",\"apiKey\":\"hi_k\"}");
    Account a = new CredentialStore(file).current().orElseThrow();
    assertEquals(new Account(CredentialStore.LEGACY, "tok", "hi_k", null), a);
  }

  @Test
  void shouldStartEmptyWhenFileIsCorrupt() throws Exception {
    Path file = Files.writeString(dir.resolve("c.json"), "{not json");
    assertEquals(Optional.empty(), new CredentialStore(file).current());
    Files.writeString(file, "[1,2]");
    assertEquals(List.of(), new CredentialStore(file).emails());
  }

  @Test
  void shouldTightenFileWhenItWasLeftReadableByOthers() throws Exception {
    Path file = dir.resolve("credentials.json");
    new CredentialStore(file).put(new Account("a@example.com", "tok", null, null));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals("tok", new CredentialStore(file).current().orElseThrow().session());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }
}
