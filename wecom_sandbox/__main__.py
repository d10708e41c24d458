"""`python -m wecom_sandbox [--port 5100] [--callback-url URL]` or `python -m wecom_sandbox send-test-card`."""
import argparse
import secrets
import sys

import requests


def serve(args):
    from werkzeug.serving import run_simple

    from wecom_sandbox import create_sandbox
    app = create_sandbox({"callback_url": args.callback_url, "db": args.db, "token_ttl": args.token_ttl,
                          "retry_delay": args.retry_delay})
    print(f"WeCom sandbox on http://{args.host}:{args.port}/  (callbacks -> {app.config['SANDBOX']['callback_url']})")
    run_simple(args.host, args.port, app, threaded=True, use_reloader=False)


def send_test_card(args):
    """Send a decision card through the sandbox's own API (so it is validated like the app's)."""
    from wecom_sandbox import load_config
    cfg = load_config()
    base = args.sandbox.rstrip("/") + "/cgi-bin/"
    token = requests.get(base + "gettoken", params={"corpid": cfg["corp_id"], "corpsecret": cfg["secret"]},
                         timeout=5).json()["access_token"]
    app_id = args.application
    task_id = args.task_id or f"sandbox-test-{app_id}-{secrets.token_hex(3)}"
    card = {
        # A new task id each run: WeCom (and the sandbox) refuse a used one with 40058
        "card_type": "button_interaction", "task_id": task_id,
        "main_title": {"title": "AI面试结果(测试卡片)", "desc": f"应聘记录 #{app_id}"},
        "horizontal_content_list": [{"keyname": "总分", "value": "80.0"}],
        "button_list": [{"text": "进入复试", "style": 1, "key": f"d:{app_id}:second_round"},
                        {"text": "待定", "style": 2, "key": f"d:{app_id}:on_hold"},
                        {"text": "淘汰", "style": 3, "key": f"d:{app_id}:rejected"}],
    }
    answer = requests.post(base + "message/send", params={"access_token": token}, timeout=5, json={
        "touser": args.to, "msgtype": "template_card", "agentid": cfg["agent_id"], "template_card": card}).json()
    print(answer)
    if answer.get("errcode") == 0:
        print(f"task_id: {task_id}")
    return 0 if answer.get("errcode") == 0 else 1


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "send-test-card":
        parser = argparse.ArgumentParser(prog="python -m wecom_sandbox send-test-card")
        parser.add_argument("--to", default="zhangwei", help="userid(s), joined by |")
        parser.add_argument("--application", type=int, required=True, help="application id the buttons decide")
        parser.add_argument("--task-id", default=None, help="default: a new one each run (printed)")
        parser.add_argument("--sandbox", default="http://127.0.0.1:5100")
        return send_test_card(parser.parse_args(argv[1:]))
    parser = argparse.ArgumentParser(prog="python -m wecom_sandbox", description="Run the WeCom sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5100)
    parser.add_argument("--callback-url", default=None, help="the app's /wecom/callback URL")
    parser.add_argument("--db", default=None, help="SQLite file (default instance/sandbox.db)")
    parser.add_argument("--token-ttl", type=int, default=None, help="access_token lifetime in seconds")
    parser.add_argument("--retry-delay", type=float, default=None, help="seconds between callback retries")
    serve(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
