/**
 * The chat templates of the catalogue's base models: the Jinja source each model's
 * tokenizer_config.json carries as `chat_template`, and the tokens around it. Training renders
 * every example through this template, so the exact text matters: a trainer that formats turns
 * differently from the template the model was instruction-tuned with (and that vLLM serves it
 * with) teaches the model a format it will never see again.
 *
 * The sources are copied verbatim (lib/domain has no I/O, so they live here as strings, joined
 * from their lines; templates that are one line in tokenizer_config.json stay one string). The
 * unit test pins a SHA-256 of each, so an accidental edit fails loudly. Where each copy came from
 * is noted on it: the Hugging Face Hub itself could not be reached when they were copied, so each
 * was taken from public repositories that vendor it, and checked against a second copy or the
 * vendored file's exact length.
 *
 * retune/tiny-chat's template is a file of this repository (trainers/templates/tiny-chat.jinja,
 * also read by the trainer), so it is loaded from disk by lib/server/training/chat-render.ts.
 */

export type ChatTemplateId =
  "llama-3.1" | "llama-3.2" | "qwen-2.5" | "phi-3" | "mistral-v0.3" | "gemma-2" | "tiny-chat";

export type ChatTemplate = {
  id: ChatTemplateId;
  name: string;
  /**
   * The Jinja source, or null when it is a file of this repository (see `file`): lib/domain
   * cannot read files.
   */
  source: string | null;
  /** Repository-relative path of the template file when `source` is null. */
  file: string | null;
  /** tokenizer_config.json `bos_token`, passed to the template (null: the model has none). */
  bos: string | null;
  /** tokenizer_config.json `eos_token`, passed to the template. */
  eos: string;
  /**
   * The token that ends an assistant turn. It must be inside the trained (loss-bearing) part of
   * every assistant turn, or the fine-tuned model never learns to stop.
   */
  endOfTurn: string;
  /** The template renders `tools` and assistant `tool_calls` (and tool results). */
  supportsTools: boolean;
  /**
   * How assistant tool-call `arguments` reach the template. "object": parsed from the OpenAI
   * JSON string first, as vLLM does before rendering and as these templates expect (they
   * `tojson` the arguments, so a string would be encoded twice). "string": passed as stored.
   */
  toolArguments: "object" | "string";
  /**
   * Added tokens the rendering contains: each is one token to the real tokenizer, so token
   * counts split them out before counting the text between them.
   */
  specialTokens: readonly string[];
  /** Where the source was copied from. */
  origin: string;
};

// meta-llama/Llama-3.1-8B-Instruct (and -70B-Instruct, same file) tokenizer_config.json
// `chat_template`. Copied from the JSON string vendored in openvinotoolkit/openvino.genai
// tests/python_tests/tokenizer_configs.py ("meta-llama/Meta-Llama-3.1-8B-Instruct"), identical
// to llama.cpp's models/templates/meta-llama-Llama-3.3-70B-Instruct.jinja (Meta ships the same
// template with 3.3; this text has that file's exact length).
const LLAMA_3_1 = [
  "{{- bos_token }}",
  "{%- if custom_tools is defined %}",
  "    {%- set tools = custom_tools %}",
  "{%- endif %}",
  "{%- if not tools_in_user_message is defined %}",
  "    {%- set tools_in_user_message = true %}",
  "{%- endif %}",
  "{%- if not date_string is defined %}",
  '    {%- set date_string = "26 Jul 2024" %}',
  "{%- endif %}",
  "{%- if not tools is defined %}",
  "    {%- set tools = none %}",
  "{%- endif %}",
  "",
  "{#- This block extracts the system message, so we can slot it into the right place. #}",
  "{%- if messages[0]['role'] == 'system' %}",
  "    {%- set system_message = messages[0]['content']|trim %}",
  "    {%- set messages = messages[1:] %}",
  "{%- else %}",
  '    {%- set system_message = "" %}',
  "{%- endif %}",
  "",
  "{#- System message + builtin tools #}",
  '{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}',
  "{%- if builtin_tools is defined or tools is not none %}",
  '    {{- "Environment: ipython\\n" }}',
  "{%- endif %}",
  "{%- if builtin_tools is defined %}",
  '    {{- "Tools: " + builtin_tools | reject(\'equalto\', \'code_interpreter\') | join(", ") + "\\n\\n"}}',
  "{%- endif %}",
  '{{- "Cutting Knowledge Date: December 2023\\n" }}',
  '{{- "Today Date: " + date_string + "\\n\\n" }}',
  "{%- if tools is not none and not tools_in_user_message %}",
  '    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}',
  '    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}',
  '    {{- "Do not use variables.\\n\\n" }}',
  "    {%- for t in tools %}",
  "        {{- t | tojson(indent=4) }}",
  '        {{- "\\n\\n" }}',
  "    {%- endfor %}",
  "{%- endif %}",
  "{{- system_message }}",
  '{{- "<|eot_id|>" }}',
  "",
  "{#- Custom tools are passed in a user message with some extra guidance #}",
  "{%- if tools_in_user_message and not tools is none %}",
  "    {#- Extract the first user message so we can plug it in here #}",
  "    {%- if messages | length != 0 %}",
  "        {%- set first_user_message = messages[0]['content']|trim %}",
  "        {%- set messages = messages[1:] %}",
  "    {%- else %}",
  '        {{- raise_exception("Cannot put tools in the first user message when there\'s no first user message!") }}',
  "{%- endif %}",
  "    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}",
  '    {{- "Given the following functions, please respond with a JSON for a function call " }}',
  '    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}',
  '    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}',
  '    {{- "Do not use variables.\\n\\n" }}',
  "    {%- for t in tools %}",
  "        {{- t | tojson(indent=4) }}",
  '        {{- "\\n\\n" }}',
  "    {%- endfor %}",
  '    {{- first_user_message + "<|eot_id|>"}}',
  "{%- endif %}",
  "",
  "{%- for message in messages %}",
  "    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}",
  "        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}",
  "    {%- elif 'tool_calls' in message %}",
  "        {%- if not message.tool_calls|length == 1 %}",
  '            {{- raise_exception("This model only supports single tool-calls at once!") }}',
  "        {%- endif %}",
  "        {%- set tool_call = message.tool_calls[0].function %}",
  "        {%- if builtin_tools is defined and tool_call.name in builtin_tools %}",
  "            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}",
  '            {{- "<|python_tag|>" + tool_call.name + ".call(" }}',
  "            {%- for arg_name, arg_val in tool_call.arguments | items %}",
  "                {{- arg_name + '=\"' + arg_val + '\"' }}",
  "                {%- if not loop.last %}",
  '                    {{- ", " }}',
  "                {%- endif %}",
  "                {%- endfor %}",
  '            {{- ")" }}',
  "        {%- else  %}",
  "            {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}",
  "            {{- '{\"name\": \"' + tool_call.name + '\", ' }}",
  "            {{- '\"parameters\": ' }}",
  "            {{- tool_call.arguments | tojson }}",
  '            {{- "}" }}',
  "        {%- endif %}",
  "        {%- if builtin_tools is defined %}",
  "            {#- This means we're in ipython mode #}",
  '            {{- "<|eom_id|>" }}',
  "        {%- else %}",
  '            {{- "<|eot_id|>" }}',
  "        {%- endif %}",
  '    {%- elif message.role == "tool" or message.role == "ipython" %}',
  '        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}',
  "        {%- if message.content is mapping or message.content is iterable %}",
  "            {{- message.content | tojson }}",
  "        {%- else %}",
  "            {{- message.content }}",
  "        {%- endif %}",
  '        {{- "<|eot_id|>" }}',
  "    {%- endif %}",
  "{%- endfor %}",
  "{%- if add_generation_prompt %}",
  "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}",
  "{%- endif %}",
  "",
].join("\n");

// meta-llama/Llama-3.2-3B-Instruct tokenizer_config.json `chat_template` (1B-Instruct carries the
// same one): llama.cpp models/templates/meta-llama-Llama-3.2-3B-Instruct.jinja, which llama.cpp
// fetches from the Hub (length checked against the stored file). It dates the system header with
// `strftime_now`, so a rendering carries the day it was made, as in transformers.
const LLAMA_3_2 = [
  "{{- bos_token }}",
  "{%- if custom_tools is defined %}",
  "    {%- set tools = custom_tools %}",
  "{%- endif %}",
  "{%- if not tools_in_user_message is defined %}",
  "    {%- set tools_in_user_message = true %}",
  "{%- endif %}",
  "{%- if not date_string is defined %}",
  "    {%- if strftime_now is defined %}",
  '        {%- set date_string = strftime_now("%d %b %Y") %}',
  "    {%- else %}",
  '        {%- set date_string = "26 Jul 2024" %}',
  "    {%- endif %}",
  "{%- endif %}",
  "{%- if not tools is defined %}",
  "    {%- set tools = none %}",
  "{%- endif %}",
  "",
  "{#- This block extracts the system message, so we can slot it into the right place. #}",
  "{%- if messages[0]['role'] == 'system' %}",
  "    {%- set system_message = messages[0]['content']|trim %}",
  "    {%- set messages = messages[1:] %}",
  "{%- else %}",
  '    {%- set system_message = "" %}',
  "{%- endif %}",
  "",
  "{#- System message #}",
  '{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}',
  "{%- if tools is not none %}",
  '    {{- "Environment: ipython\\n" }}',
  "{%- endif %}",
  '{{- "Cutting Knowledge Date: December 2023\\n" }}',
  '{{- "Today Date: " + date_string + "\\n\\n" }}',
  "{%- if tools is not none and not tools_in_user_message %}",
  '    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}',
  '    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}',
  '    {{- "Do not use variables.\\n\\n" }}',
  "    {%- for t in tools %}",
  "        {{- t | tojson(indent=4) }}",
  '        {{- "\\n\\n" }}',
  "    {%- endfor %}",
  "{%- endif %}",
  "{{- system_message }}",
  '{{- "<|eot_id|>" }}',
  "",
  "{#- Custom tools are passed in a user message with some extra guidance #}",
  "{%- if tools_in_user_message and not tools is none %}",
  "    {#- Extract the first user message so we can plug it in here #}",
  "    {%- if messages | length != 0 %}",
  "        {%- set first_user_message = messages[0]['content']|trim %}",
  "        {%- set messages = messages[1:] %}",
  "    {%- else %}",
  '        {{- raise_exception("Cannot put tools in the first user message when there\'s no first user message!") }}',
  "{%- endif %}",
  "    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}",
  '    {{- "Given the following functions, please respond with a JSON for a function call " }}',
  '    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}',
  '    {{- \'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.\' }}',
  '    {{- "Do not use variables.\\n\\n" }}',
  "    {%- for t in tools %}",
  "        {{- t | tojson(indent=4) }}",
  '        {{- "\\n\\n" }}',
  "    {%- endfor %}",
  '    {{- first_user_message + "<|eot_id|>"}}',
  "{%- endif %}",
  "",
  "{%- for message in messages %}",
  "    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}",
  "        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}",
  "    {%- elif 'tool_calls' in message %}",
  "        {%- if not message.tool_calls|length == 1 %}",
  '            {{- raise_exception("This model only supports single tool-calls at once!") }}',
  "        {%- endif %}",
  "        {%- set tool_call = message.tool_calls[0].function %}",
  "        {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}",
  "        {{- '{\"name\": \"' + tool_call.name + '\", ' }}",
  "        {{- '\"parameters\": ' }}",
  "        {{- tool_call.arguments | tojson }}",
  '        {{- "}" }}',
  '        {{- "<|eot_id|>" }}',
  '    {%- elif message.role == "tool" or message.role == "ipython" %}',
  '        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}',
  "        {%- if message.content is mapping or message.content is iterable %}",
  "            {{- message.content | tojson }}",
  "        {%- else %}",
  "            {{- message.content }}",
  "        {%- endif %}",
  '        {{- "<|eot_id|>" }}',
  "    {%- endif %}",
  "{%- endfor %}",
  "{%- if add_generation_prompt %}",
  "    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}",
  "{%- endif %}",
  "",
].join("\n");

// Qwen/Qwen2.5-7B-Instruct tokenizer_config.json `chat_template` (0.5B, 1.5B and 3B-Instruct carry
// the same one): the JSON `"chat_template"` line quoted in ShishirPatil/gorilla
// berkeley-function-call-leaderboard/bfcl/model_handler/oss_model/qwen.py, identical to the copy
// in a Rust test that reads it from tokenizer_config.json.
const QWEN_2_5 = [
  "{%- if tools %}",
  "    {{- '<|im_start|>system\\n' }}",
  "    {%- if messages[0]['role'] == 'system' %}",
  "        {{- messages[0]['content'] }}",
  "    {%- else %}",
  "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}",
  "    {%- endif %}",
  '    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}',
  "    {%- for tool in tools %}",
  '        {{- "\\n" }}',
  "        {{- tool | tojson }}",
  "    {%- endfor %}",
  '    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}',
  "{%- else %}",
  "    {%- if messages[0]['role'] == 'system' %}",
  "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}",
  "    {%- else %}",
  "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}",
  "    {%- endif %}",
  "{%- endif %}",
  "{%- for message in messages %}",
  '    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}',
  "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}",
  '    {%- elif message.role == "assistant" %}',
  "        {{- '<|im_start|>' + message.role }}",
  "        {%- if message.content %}",
  "            {{- '\\n' + message.content }}",
  "        {%- endif %}",
  "        {%- for tool_call in message.tool_calls %}",
  "            {%- if tool_call.function is defined %}",
  "                {%- set tool_call = tool_call.function %}",
  "            {%- endif %}",
  '            {{- \'\\n<tool_call>\\n{"name": "\' }}',
  "            {{- tool_call.name }}",
  '            {{- \'", "arguments": \' }}',
  "            {{- tool_call.arguments | tojson }}",
  "            {{- '}\\n</tool_call>' }}",
  "        {%- endfor %}",
  "        {{- '<|im_end|>\\n' }}",
  '    {%- elif message.role == "tool" %}',
  '        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}',
  "            {{- '<|im_start|>user' }}",
  "        {%- endif %}",
  "        {{- '\\n<tool_response>\\n' }}",
  "        {{- message.content }}",
  "        {{- '\\n</tool_response>' }}",
  '        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}',
  "            {{- '<|im_end|>\\n' }}",
  "        {%- endif %}",
  "    {%- endif %}",
  "{%- endfor %}",
  "{%- if add_generation_prompt %}",
  "    {{- '<|im_start|>assistant\\n' }}",
  "{%- endif %}",
  "",
].join("\n");

// microsoft/Phi-3-mini-4k-instruct tokenizer_config.json `chat_template`, as the JSON string there
// (openvinotoolkit/openvino.genai tests/python_tests/tokenizer_configs.py; the same string is
// quoted elsewhere with a link to tokenizer_config.json#L119). It has no tool branch: `tool`
// turns are dropped and a tool-call turn with null content fails to render. It ends the text
// with eos_token when no generation prompt is asked for.
const PHI_3 =
  "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\n' + message['content'] + '<|end|>\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' + message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}";

// mistralai/Mistral-7B-Instruct-v0.3 tokenizer_config.json `chat_template`, the function-calling
// revision (the "v3" template with spaces after [INST], [AVAILABLE_TOOLS] and [TOOL_CALLS]):
// taken from the copy embedded in lmstudio-community/Mistral-7B-Instruct-v0.3-GGUF as quoted in a
// public repository, identical to a second independent copy. The Hub file has had several
// revisions; this is the newest one found. It requires 9-character tool-call ids and puts the
// system prompt into the last user turn only.
const MISTRAL_V0_3 = [
  '{%- if messages[0]["role"] == "system" %}',
  '    {%- set system_message = messages[0]["content"] %}',
  "    {%- set loop_messages = messages[1:] %}",
  "{%- else %}",
  "    {%- set loop_messages = messages %}",
  "{%- endif %}",
  "{%- if not tools is defined %}",
  "    {%- set tools = none %}",
  "{%- endif %}",
  '{%- set user_messages = loop_messages | selectattr("role", "equalto", "user") | list %}',
  "",
  "{#- This block checks for alternating user/assistant messages, skipping tool calling messages #}",
  "{%- set ns = namespace() %}",
  "{%- set ns.index = 0 %}",
  "{%- for message in loop_messages %}",
  '    {%- if not (message.role == "tool" or message.role == "tool_results" or (message.tool_calls is defined and message.tool_calls is not none)) %}',
  '        {%- if (message["role"] == "user") != (ns.index % 2 == 0) %}',
  '            {{- raise_exception("After the optional system message, conversation roles must alternate user/assistant/user/assistant/...") }}',
  "        {%- endif %}",
  "        {%- set ns.index = ns.index + 1 %}",
  "    {%- endif %}",
  "{%- endfor %}",
  "",
  "{{- bos_token }}",
  "{%- for message in loop_messages %}",
  '    {%- if message["role"] == "user" %}',
  "        {%- if tools is not none and (message == user_messages[-1]) %}",
  '            {{- "[AVAILABLE_TOOLS] [" }}',
  "            {%- for tool in tools %}",
  "                {%- set tool = tool.function %}",
  '                {{- \'{"type": "function", "function": {\' }}',
  '                {%- for key, val in tool.items() if key != "return" %}',
  "                    {%- if val is string %}",
  "                        {{- '\"' + key + '\": \"' + val + '\"' }}",
  "                    {%- else %}",
  "                        {{- '\"' + key + '\": ' + val|tojson }}",
  "                    {%- endif %}",
  "                    {%- if not loop.last %}",
  '                        {{- ", " }}',
  "                    {%- endif %}",
  "                {%- endfor %}",
  '                {{- "}}" }}',
  "                {%- if not loop.last %}",
  '                    {{- ", " }}',
  "                {%- else %}",
  '                    {{- "]" }}',
  "                {%- endif %}",
  "            {%- endfor %}",
  '            {{- "[/AVAILABLE_TOOLS]" }}',
  "            {%- endif %}",
  "        {%- if loop.last and system_message is defined %}",
  '            {{- "[INST] " + system_message + "\\n\\n" + message["content"] + "[/INST]" }}',
  "        {%- else %}",
  '            {{- "[INST] " + message["content"] + "[/INST]" }}',
  "        {%- endif %}",
  "    {%- elif message.tool_calls is defined and message.tool_calls is not none %}",
  '        {{- "[TOOL_CALLS] [" }}',
  "        {%- for tool_call in message.tool_calls %}",
  "            {%- set out = tool_call.function|tojson %}",
  "            {{- out[:-1] }}",
  "            {%- if not tool_call.id is defined or tool_call.id|length != 9 %}",
  '                {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}',
  "            {%- endif %}",
  "            {{- ', \"id\": \"' + tool_call.id + '\"}' }}",
  "            {%- if not loop.last %}",
  '                {{- ", " }}',
  "            {%- else %}",
  '                {{- "]" + eos_token }}',
  "            {%- endif %}",
  "        {%- endfor %}",
  '    {%- elif message["role"] == "assistant" %}',
  '        {{- " " + message["content"]|trim + eos_token}}',
  '    {%- elif message["role"] == "tool_results" or message["role"] == "tool" %}',
  "        {%- if message.content is defined and message.content.content is defined %}",
  "            {%- set content = message.content.content %}",
  "        {%- else %}",
  "            {%- set content = message.content %}",
  "        {%- endif %}",
  '        {{- \'[TOOL_RESULTS] {"content": \' + content|string + ", " }}',
  "        {%- if not message.tool_call_id is defined or message.tool_call_id|length != 9 %}",
  '            {{- raise_exception("Tool call IDs should be alphanumeric strings with length 9!") }}',
  "        {%- endif %}",
  "        {{- '\"call_id\": \"' + message.tool_call_id + '\"}[/TOOL_RESULTS]' }}",
  "    {%- else %}",
  '        {{- raise_exception("Only user and assistant roles are supported, with the exception of an initial optional system message!") }}',
  "    {%- endif %}",
  "{%- endfor %}",
  "",
].join("\n");

// google/gemma-2-2b-it tokenizer_config.json `chat_template` (9b-it carries the same one):
// llama.cpp models/templates/google-gemma-2-2b-it.jinja (length checked against the stored
// file), kept as the single JSON string it is in tokenizer_config.json. Gemma 2 has no system
// role and no tools: the template raises on a system turn and on turns that do not alternate.
const GEMMA_2 =
  "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}";

const LLAMA3_SPECIAL = [
  "<|begin_of_text|>",
  "<|end_of_text|>",
  "<|start_header_id|>",
  "<|end_header_id|>",
  "<|eot_id|>",
  "<|eom_id|>",
  "<|python_tag|>",
];

export const CHAT_TEMPLATES: Readonly<Record<ChatTemplateId, ChatTemplate>> = {
  "llama-3.1": {
    id: "llama-3.1",
    name: "Llama 3.1 Instruct",
    source: LLAMA_3_1,
    file: null,
    bos: "<|begin_of_text|>",
    eos: "<|eot_id|>",
    endOfTurn: "<|eot_id|>",
    supportsTools: true,
    toolArguments: "object",
    specialTokens: LLAMA3_SPECIAL,
    origin: "meta-llama/Llama-3.1-8B-Instruct tokenizer_config.json",
  },
  "llama-3.2": {
    id: "llama-3.2",
    name: "Llama 3.2 Instruct",
    source: LLAMA_3_2,
    file: null,
    bos: "<|begin_of_text|>",
    eos: "<|eot_id|>",
    endOfTurn: "<|eot_id|>",
    supportsTools: true,
    toolArguments: "object",
    specialTokens: LLAMA3_SPECIAL,
    origin: "meta-llama/Llama-3.2-3B-Instruct tokenizer_config.json",
  },
  "qwen-2.5": {
    id: "qwen-2.5",
    name: "Qwen2.5 Instruct",
    source: QWEN_2_5,
    file: null,
    bos: null,
    eos: "<|im_end|>",
    endOfTurn: "<|im_end|>",
    supportsTools: true,
    toolArguments: "object",
    specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<tool_call>", "</tool_call>"],
    origin: "Qwen/Qwen2.5-7B-Instruct tokenizer_config.json",
  },
  "phi-3": {
    id: "phi-3",
    name: "Phi-3 mini Instruct",
    source: PHI_3,
    file: null,
    bos: "<s>",
    eos: "<|endoftext|>",
    endOfTurn: "<|end|>",
    supportsTools: false,
    toolArguments: "object",
    specialTokens: [
      "<s>",
      "</s>",
      "<|endoftext|>",
      "<|system|>",
      "<|user|>",
      "<|assistant|>",
      "<|end|>",
    ],
    origin: "microsoft/Phi-3-mini-4k-instruct tokenizer_config.json",
  },
  "mistral-v0.3": {
    id: "mistral-v0.3",
    name: "Mistral Instruct v0.3",
    source: MISTRAL_V0_3,
    file: null,
    bos: "<s>",
    eos: "</s>",
    endOfTurn: "</s>",
    supportsTools: true,
    toolArguments: "object",
    specialTokens: [
      "<s>",
      "</s>",
      "[INST]",
      "[/INST]",
      "[TOOL_CALLS]",
      "[AVAILABLE_TOOLS]",
      "[/AVAILABLE_TOOLS]",
      "[TOOL_RESULTS]",
      "[/TOOL_RESULTS]",
    ],
    origin: "mistralai/Mistral-7B-Instruct-v0.3 tokenizer_config.json",
  },
  "gemma-2": {
    id: "gemma-2",
    name: "Gemma 2 it",
    source: GEMMA_2,
    file: null,
    bos: "<bos>",
    eos: "<eos>",
    endOfTurn: "<end_of_turn>",
    supportsTools: false,
    toolArguments: "object",
    specialTokens: ["<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>"],
    origin: "google/gemma-2-2b-it tokenizer_config.json",
  },
  "tiny-chat": {
    id: "tiny-chat",
    name: "retune tiny-chat",
    source: null,
    file: "trainers/templates/tiny-chat.jinja",
    bos: null,
    eos: "<|end|>",
    endOfTurn: "<|end|>",
    supportsTools: true,
    // Its template takes the OpenAI string as is (and `tojson`s an object), which is what the
    // trainer feeds it.
    toolArguments: "string",
    specialTokens: [
      "<|system|>",
      "<|user|>",
      "<|assistant|>",
      "<|tool|>",
      "<|tools|>",
      "<|call|>",
      "<|end|>",
    ],
    origin: "trainers/templates/tiny-chat.jinja (this repository; built by trainers/tiny_base.py)",
  },
};

/** Which template each fine-tunable catalogue model (lib/domain/base-models.ts) is trained with. */
const TEMPLATE_OF_MODEL: Readonly<Record<string, ChatTemplateId>> = {
  "meta-llama/Llama-3.1-8B-Instruct": "llama-3.1",
  "meta-llama/Llama-3.1-70B-Instruct": "llama-3.1",
  "meta-llama/Llama-3.2-1B-Instruct": "llama-3.2",
  "meta-llama/Llama-3.2-3B-Instruct": "llama-3.2",
  "Qwen/Qwen2.5-0.5B-Instruct": "qwen-2.5",
  "Qwen/Qwen2.5-1.5B-Instruct": "qwen-2.5",
  "Qwen/Qwen2.5-3B-Instruct": "qwen-2.5",
  "Qwen/Qwen2.5-7B-Instruct": "qwen-2.5",
  "microsoft/Phi-3-mini-4k-instruct": "phi-3",
  "mistralai/Mistral-7B-Instruct-v0.3": "mistral-v0.3",
  "google/gemma-2-2b-it": "gemma-2",
  "google/gemma-2-9b-it": "gemma-2",
  "retune/tiny-chat": "tiny-chat",
};

/** The chat template a base model is trained with; undefined for models retune cannot tune. */
export function chatTemplateFor(baseModelId: string): ChatTemplate | undefined {
  const id = Object.hasOwn(TEMPLATE_OF_MODEL, baseModelId)
    ? TEMPLATE_OF_MODEL[baseModelId]
    : undefined;
  return id ? CHAT_TEMPLATES[id] : undefined;
}
