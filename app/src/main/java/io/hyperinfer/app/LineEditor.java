package io.hyperinfer.app;

import io.hyperinfer.client.cli.ChatInput;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * {@code chat}'s lines on a terminal (JLine): editing (arrows, Home/End, Ctrl-A/E/W...), history (Up/Down, Ctrl-R)
 * kept in an owner-only file between runs; Ctrl-D and Ctrl-C end the chat. Confined to the command's thread.
 */
final class LineEditor implements ChatInput {
  private static final int HISTORY_LINES = 1000;
  private final Terminal terminal;
  private final LineReader reader;
  private final Path historyFile;

  private LineEditor(Terminal terminal, LineReader reader, Path historyFile) {
    this.terminal = terminal;
    this.reader = reader;
    this.historyFile = historyFile;
  }

  static LineEditor open(Path historyFile) throws IOException {
    PrivateFiles.createDirectories(historyFile.getParent());
    if (!Files.exists(historyFile)) {
      PrivateFiles.write(historyFile, new byte[0]);
    }
    Terminal terminal = TerminalBuilder.builder().system(true).build();
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).appName("hyperinfer")
        .variable(LineReader.HISTORY_FILE, historyFile).variable(LineReader.HISTORY_SIZE, HISTORY_LINES)
        .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES).build();
    // JLine binds the arrows terminfo names (ESC O A in xterm's application mode); terminals that send the CSI form
    // (ESC [ A) regardless must move through history too, never type "[A".
    KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
    main.bind(new Reference(LineReader.UP_LINE_OR_HISTORY), "\033[A");
    main.bind(new Reference(LineReader.DOWN_LINE_OR_HISTORY), "\033[B");
    main.bind(new Reference(LineReader.FORWARD_CHAR), "\033[C");
    main.bind(new Reference(LineReader.BACKWARD_CHAR), "\033[D");
    return new LineEditor(terminal, reader, historyFile);
  }

  @Override
  public String readLine(String prompt) {
    try {
      return reader.readLine(prompt);
    } catch (UserInterruptException | EndOfFileException end) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      reader.getHistory().save();
      if (Files.exists(historyFile)) {
        PrivateFiles.ensurePrivate(historyFile);
      }
      terminal.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the chat history to " + historyFile, e);
    }
  }
}
