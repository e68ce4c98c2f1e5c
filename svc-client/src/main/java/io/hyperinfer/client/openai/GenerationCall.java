package io.hyperinfer.client.openai;

import io.hyperinfer.client.Prompt;

/** A parsed chat or completions request: what to ask, whether to stream, whether to send a usage chunk. */
record GenerationCall(Prompt prompt, boolean stream, boolean includeUsage) {}
