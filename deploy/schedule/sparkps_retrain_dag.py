"""Airflow DAG: nightly SparkPS retraining with a quality gate.

`sparkps retrain` exits 0 when it promotes the new model, 3 when the gate rejects it (the
current model stays; not an error), 2 on bad input and 1 on failure.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowSkipException
from airflow.operators.bash import BashOperator
from airflow.operators.python import PythonOperator

SUBMIT = (
    "cd /opt/sparkps && deploy/submit.sh --master spark://spark-master:7077 -- "
    "retrain --registry hdfs:///models/clicks/registry "
    "--data hdfs:///datasets/clicks/{{ ds }}/ --workers 8; "
    "echo $? > /tmp/sparkps-retrain-{{ ds }}.rc"
)


def check_gate(ds, **_):
    with open(f"/tmp/sparkps-retrain-{ds}.rc") as f:
        code = int(f.read().strip())
    if code == 3:
        raise AirflowSkipException("the quality gate kept the current model")
    if code != 0:
        raise RuntimeError(f"sparkps retrain failed with exit code {code}")


with DAG(
    dag_id="sparkps_retrain",
    start_date=datetime(2026, 1, 1),
    schedule="30 2 * * *",
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
) as dag:
    retrain = BashOperator(task_id="retrain", bash_command=SUBMIT)
    gate = PythonOperator(task_id="gate", python_callable=check_gate)
    retrain >> gate
