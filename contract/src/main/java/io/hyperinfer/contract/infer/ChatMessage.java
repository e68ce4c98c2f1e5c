package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One turn of a conversation. Role system, user, assistant or tool; {@code content} is the turn's text (empty for an
 * assistant turn that only calls tools); {@code images} only on user turns; {@code toolCalls} (whole) only on assistant
 * turns; {@code toolCallId} names the call a tool turn answers. JSON {@code {role, content, images?, toolCalls?,
 * toolCallId?}}.
 */
public record ChatMessage(String role, String content, List<ImageRef> images, List<ToolCall> toolCalls,
    String toolCallId) {
  public static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool");
  public static final int MAX_IMAGES = 16;
  public static final int MAX_TOOL_CALLS = 64;

  public ChatMessage {
    if (role == null || !ROLES.contains(role)) {
      throw NetException.badRequest("each message needs a role (system, user, assistant, tool)");
    }
    if (content == null) {
      throw NetException.badRequest("each message needs text content");
    }
    images = images == null ? List.of() : List.copyOf(images);
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    if (!images.isEmpty() && !role.equals("user")) {
      throw NetException.badRequest("only user messages may hold images");
    }
    if (images.size() > MAX_IMAGES) {
      throw NetException.badRequest("a message holds at most " + MAX_IMAGES + " images");
    }
    if (!toolCalls.isEmpty() && !role.equals("assistant")) {
      throw NetException.badRequest("only assistant messages may hold tool calls");
    }
    if (toolCalls.stream().anyMatch(c -> c.name() == null || c.name().isBlank())) {
      throw NetException.badRequest("a tool call in a conversation names its function");
    }
    if (role.equals("tool") && (toolCallId == null || toolCallId.isBlank())) {
      throw NetException.badRequest("a tool message needs the toolCallId it answers");
    }
  }

  public ChatMessage(String role, String content) {
    this(role, content, List.of(), List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }

  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /** Characters this turn adds to a request's size: its text, tool calls and images. */
  long chars() {
    long n = content.length();
    for (ToolCall c : toolCalls) {
      n += c.arguments().length();
    }
    for (ImageRef i : images) {
      n += i.url().length();
    }
    return n;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("role", role).put("content", content);
    if (!images.isEmpty()) {
      ArrayNode list = o.putArray("images");
      images.forEach(i -> list.add(i.toJson()));
    }
    if (!toolCalls.isEmpty()) {
      ArrayNode list = o.putArray("toolCalls");
      toolCalls.forEach(c -> list.add(c.toJson()));
    }
    if (toolCallId != null) {
      o.put("toolCallId", toolCallId);
    }
    return o;
  }

  public static ChatMessage fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "a message");
    List<ImageRef> images = new ArrayList<>();
    for (JsonNode i : Fields.array(o, "images", MAX_IMAGES)) {
      images.add(ImageRef.fromJson(i));
    }
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode c : Fields.array(o, "toolCalls", MAX_TOOL_CALLS)) {
      calls.add(ToolCall.fromJson(c, calls.size()));
    }
    JsonNode content = o.path("content");
    boolean onlyCalls = !calls.isEmpty() && (content.isMissingNode() || content.isNull());
    if (!content.isTextual() && !onlyCalls) {
      throw NetException.badRequest("each message needs a role (system, user, assistant, tool) and text content");
    }
    return new ChatMessage(o.path("role").asText(""), content.isTextual() ? content.textValue() : "", images, calls,
        Fields.optionalText(o, "toolCallId", 256));
  }
}
