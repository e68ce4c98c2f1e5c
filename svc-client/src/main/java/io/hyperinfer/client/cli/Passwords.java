package io.hyperinfer.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Where a command's password comes from, first found wins: {@code --password} (visible to other users in {@code ps}
 * and kept in shell history, so only for throwaway accounts), {@code --password-stdin} (the first line of standard
 * input), else a prompt on the terminal without echo (asked twice for a new account). Not thread-safe.
 */
final class Passwords {
  private final BufferedReader in;
  private final PasswordPrompt prompt;

  Passwords(BufferedReader in, PasswordPrompt prompt) {
    this.in = in;
    this.prompt = prompt;
  }

  /** The password; {@code confirm} asks twice at the prompt. Fails with a sentence saying how to give one. */
  String read(String flag, boolean fromStdin, boolean confirm) {
    if (flag != null) {
      return flag;
    }
    if (fromStdin) {
      try {
        String line = in.readLine();
        if (line == null || line.isEmpty()) {
          throw new IllegalArgumentException("--password-stdin: standard input holds no password line");
        }
        return line;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the password from standard input", e);
      }
    }
    char[] typed = prompt.ask("Password: ");
    if (typed == null) {
      throw new IllegalArgumentException("no password given and no terminal to ask for one: pipe it with "
          + "--password-stdin (e.g. from a password manager)");
    }
    try {
      if (confirm) {
        char[] again = prompt.ask("Repeat the password: ");
        boolean same = again != null && Arrays.equals(typed, again);
        if (again != null) {
          Arrays.fill(again, '\0');
        }
        if (!same) {
          throw new IllegalArgumentException("the two passwords differ: nothing was changed, try again");
        }
      }
      return new String(typed);
    } finally {
      Arrays.fill(typed, '\0');
    }
  }
}
