package io.hyperinfer.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Where {@code chat} reads the user's lines: plain standard input here, a line editor with history when the launcher
 * runs on a terminal. Confined to the command's thread.
 */
@FunctionalInterface
public interface ChatInput extends AutoCloseable {
  /** Shows {@code prompt} and returns the next line, or null at the end of input (Ctrl-D, Ctrl-C, closed pipe). */
  String readLine(String prompt);

  @Override
  default void close() {}

  /** Lines from {@code in}, the prompt printed on {@code out}. */
  static ChatInput plain(BufferedReader in, PrintWriter out) {
    return prompt -> {
      out.print(prompt);
      out.flush();
      try {
        return in.readLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read standard input", e);
      }
    };
  }
}
