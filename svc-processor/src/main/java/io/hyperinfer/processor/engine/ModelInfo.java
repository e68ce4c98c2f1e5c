package io.hyperinfer.processor.engine;

/** A model an engine can serve; {@code engine} names the engine kind ("ollama", "openai", "llama", "builtin"). */
public record ModelInfo(String id, String engine) {}
