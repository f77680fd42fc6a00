#!/usr/bin/env python3
"""Points Tencent Cloud's official Python SDK at our SMS test server: the server must accept
the SDK's TC3 signature (content-type;host, json.dumps body with \\u escapes) and refuse it
under a wrong key. Run through `run.sh`, which starts the server; needs
`pip install tencentcloud-sdk-python-sms` (checked with common 3.1.195, sms 3.1.153)."""

import sys

from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client


def client(base_url, secret_id, secret_key):
    scheme, host = base_url.split("://", 1)
    http = HttpProfile(protocol=scheme, endpoint=host)
    return sms_client.SmsClient(
        credential.Credential(secret_id, secret_key), "ap-guangzhou", ClientProfile(httpProfile=http)
    )


def request(app_id):
    req = models.SendSmsRequest()
    req.PhoneNumberSet = ["+8613800000000"]
    req.SmsSdkAppId = app_id
    req.SignName = "认证中心"
    req.TemplateId = "1234"
    req.TemplateParamSet = ["张三", "2026年12月5日"]
    req.SessionContext = "official-sdk"
    return req


def main():
    base_url, secret_id, secret_key, app_id = sys.argv[1:5]
    answer = client(base_url, secret_id, secret_key).SendSms(request(app_id))
    status = answer.SendStatusSet[0]
    assert status.Code == "Ok", answer.to_json_string()
    print("accepted:", status.SerialNo, answer.RequestId)

    try:
        client(base_url, secret_id, "wrong-key").SendSms(request(app_id))
        raise AssertionError("a wrong key was accepted")
    except TencentCloudSDKException as e:
        assert e.code == "AuthFailure.SignatureFailure", e
        print("wrong key refused:", e.code)


if __name__ == "__main__":
    main()
