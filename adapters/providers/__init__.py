"""What the paid providers (OpenAI, Anthropic, a local OpenAI-compatible server) share: how
their failures become ProviderError, with a code that says whether to try again."""
