"""Text generation. The local model runs in a supervised worker process (:mod:`.worker`,
:mod:`.supervisor`), so a native crash, an OOM kill or a hang of llama.cpp never takes down the web
app, the CLI or an eval run; :mod:`.local_chat` is the LangChain chat model that talks to it."""
