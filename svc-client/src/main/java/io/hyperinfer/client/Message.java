package io.hyperinfer.client;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.ToolCall;
import java.util.List;

/**
 * One turn of a conversation: role system, user, assistant or tool; its text; images (user turns); the tool calls an
 * assistant turn made; the call a tool turn answers.
 */
public record Message(String role, String content, List<ImageRef> images, List<ToolCall> toolCalls,
    String toolCallId) {
  public Message {
    images = images == null ? List.of() : List.copyOf(images);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  public Message(String role, String content) {
    this(role, content, List.of(), List.of(), null);
  }

  public static Message user(String content) {
    return new Message("user", content);
  }

  public static Message assistant(String content) {
    return new Message("assistant", content);
  }

  public static Message system(String content) {
    return new Message("system", content);
  }

  /** The wire turn; ERR_BAD_REQUEST (a {@code NetException}) when it is not a valid one. */
  ChatMessage toTurn() {
    return new ChatMessage(role, content, images, toolCalls, toolCallId);
  }
}
