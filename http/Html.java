import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The pages' HTML: escaping, and the frame every page shares (its style inline, no script). Everything shown goes
 * through {@link #escape}: an exporter's stderr, its description, a module's arguments are untrusted text.
 */
final class Html {
    static final String CONTENT_TYPE = "text/html; charset=utf-8";
    /** No script, no frames, forms only to this server: an escaping bug elsewhere still runs nothing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final String STYLE = """
            :root { --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --soft: #f6f8fa; --link: #0759b3; }
            * { box-sizing: border-box; }
            body { margin: 0; color: var(--fg); background: #fff;
              font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
            a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
            header { background: #1f2937; padding: .65rem 1.5rem; display: flex; gap: 2rem; align-items: baseline; }
            header .brand { color: #fff; font-weight: 650; font-size: 1.1rem; }
            header nav a { color: #cbd5e1; margin-right: 1.1rem; font-size: .92rem; }
            main { max-width: 76rem; margin: 0 auto; padding: .5rem 1.5rem 3rem; }
            h1 { font-size: 1.55rem; margin: 1.2rem 0 .2rem; }
            h1 + p { margin-top: 0; }
            h2 { font-size: 1.1rem; margin: 2rem 0 .6rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
            h2 .small { font-weight: 400; }
            table { border-collapse: collapse; width: 100%; font-size: .92rem; }
            th, td { text-align: left; padding: .42rem .65rem; border-bottom: 1px solid var(--line); vertical-align: top; }
            th { background: var(--soft); color: var(--muted); font-weight: 600; white-space: nowrap; }
            tbody tr:hover { background: #fafbfc; }
            td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.nowrap { white-space: nowrap; }
            code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
              font-size: .85rem; }
            code { background: var(--soft); padding: .05rem .3rem; border-radius: 4px; }
            .args code { display: inline-block; margin: .1rem 0; overflow-wrap: anywhere; }
            pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .65rem .85rem;
              margin: .3rem 0 1rem; max-height: 30rem; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
            pre.error { background: #fff5f5; border-color: #ffcecb; }
            .muted { color: var(--muted); }
            .small { font-size: .85rem; }
            .badge { display: inline-block; padding: 0 .55rem; border-radius: 1rem; font-size: .78rem; font-weight: 600;
              border: 1px solid; white-space: nowrap; line-height: 1.55; }
            .ok { color: #116329; background: #dafbe1; border-color: #aceebb; }
            .warn { color: #7d4e00; background: #fff8c5; border-color: #eedc82; }
            .bad { color: #a40e26; background: #ffebe9; border-color: #ffcecb; }
            .idle { color: var(--muted); background: var(--soft); border-color: var(--line); }
            dl.facts { display: grid; grid-template-columns: max-content 1fr max-content 1fr; gap: .25rem 1.2rem;
              margin: 0; font-size: .92rem; }
            dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
            dl.facts + table { margin-top: .9rem; }
            .links a { margin-right: .8rem; white-space: nowrap; }
            form.try { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; }
            form.try label { display: grid; grid-template-columns: 15rem minmax(0, 28rem) 1fr; gap: .8rem;
              align-items: center; margin: .35rem 0; }
            form.try label > span:first-child { font-family: ui-monospace, "DejaVu Sans Mono", monospace;
              font-size: .85rem; }
            form.try input[type=text], form.try select { font: inherit; padding: .3rem .5rem; border: 1px solid #c4ccd4;
              border-radius: 6px; background: #fff; width: 100%; }
            form.try input[type=checkbox] { justify-self: start; width: 1.05rem; height: 1.05rem; }
            .buttons { margin-top: .8rem; display: flex; gap: .6rem; }
            button { font: inherit; font-weight: 600; padding: .35rem .9rem; border-radius: 6px; cursor: pointer;
              border: 1px solid #1a5fb4; background: #1f6feb; color: #fff; }
            button.secondary { background: #fff; color: var(--fg); border-color: #c4ccd4; }
            details summary { cursor: pointer; color: var(--muted); }
            footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
            """;

    private Html() {
    }

    /** Text as HTML text or attribute value: the five characters that matter, escaped. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** A query parameter's name or value. */
    static String url(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A whole page: its title, the navigation, the body given (already HTML). */
    static String page(String title, String body) {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<link rel=\"icon\" href=\"data:,\">\n"
                + "<title>" + escape(title) + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n"
                + "<header><a class=\"brand\" href=\"/\">metrics</a><nav>"
                + "<a href=\"/#exporters\">Exporters</a><a href=\"/#runs\">Recent runs</a>"
                + "<a href=\"/metrics\">/metrics</a><a href=\"/-/ready\">/-/ready</a><a href=\"/discovery\">/discovery</a>"
                + "</nav></header>\n<main>\n" + body + "</main>\n</body>\n</html>\n";
    }

    /** A status word in a coloured pill: {@code kind} is ok, warn, bad or idle. */
    static String badge(String kind, String text) {
        return "<span class=\"badge " + kind + "\">" + escape(text) + "</span>";
    }

    /** Text in a {@code pre}, with a note when there is none. */
    static String pre(String text, boolean error) {
        if (text == null || text.isEmpty()) {
            return "<p class=\"muted small\">(empty)</p>\n";
        }
        return "<pre" + (error ? " class=\"error\"" : "") + ">" + escape(text) + "</pre>\n";
    }
}
