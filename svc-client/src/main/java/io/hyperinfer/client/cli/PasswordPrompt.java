package io.hyperinfer.client.cli;

import java.io.Console;

/** Asks for a password without echoing it; how {@code register} and {@code login} get one when no flag gives it. */
@FunctionalInterface
public interface PasswordPrompt {
  /** Shows {@code prompt} and returns what was typed, or null when there is no terminal to ask on. */
  char[] ask(String prompt);

  /** The terminal of this process ({@link System#console()}), only when it is one; nothing is echoed. */
  static PasswordPrompt terminal() {
    return prompt -> {
      Console console = System.console();
      return console == null || !console.isTerminal() ? null : console.readPassword("%s", prompt);
    };
  }

  /** No terminal: every question goes unanswered. */
  static PasswordPrompt none() {
    return prompt -> null;
  }
}
