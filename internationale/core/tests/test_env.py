import pytest

from internationale.core.env import SettingError, env_bool, env_int, env_list, env_secret


def test_it_reads_only_true_or_false(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_FLAG", "true")
    assert env_bool("X_FLAG", False) is True
    monkeypatch.setenv("X_FLAG", "False")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "yes")
    with pytest.raises(SettingError, match="'true' or 'false'"):
        env_bool("X_FLAG", False)
    monkeypatch.delenv("X_FLAG")
    assert env_bool("X_FLAG", True) is True


def test_it_refuses_numbers_out_of_range(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_NUMBER", "0")
    with pytest.raises(SettingError, match="at least 1"):
        env_int("X_NUMBER", 5, minimum=1)
    monkeypatch.setenv("X_NUMBER", "five")
    with pytest.raises(SettingError, match="whole number"):
        env_int("X_NUMBER", 5)


def test_it_splits_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_LIST", " a.org, ,b.org ")
    assert env_list("X_LIST", []) == ["a.org", "b.org"]


def test_a_secret_comes_from_a_file_but_not_from_both(
    monkeypatch: pytest.MonkeyPatch, tmp_path: "pytest.TempPathFactory"
) -> None:
    secret_file = tmp_path / "secret"  # type: ignore[operator]
    secret_file.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env_secret("X_SECRET") == "s3cret"
    monkeypatch.setenv("X_SECRET", "other")
    with pytest.raises(SettingError, match="not both"):
        env_secret("X_SECRET")
    monkeypatch.delenv("X_SECRET")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file) + ".missing")
    with pytest.raises(SettingError, match="cannot be read"):
        env_secret("X_SECRET")
