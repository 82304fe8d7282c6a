{#- The agents file has no effective dates: an agent's team, home queue and hourly cost are the
    latest delivered, for every day of the agent's history, and a home queue belongs to the
    first team (by team_id) of its agents. So a day-keyed incremental model that attributes
    rows by them must re-process old days when they change, though no batch of those days
    changed. What the last successful build, run or retry attributed by is kept in
    ccmetrics_meta.build_agents (written by on-run-end, ccm_build_agents_recorded). -#}

{#- stg_wfm__agents as built in the warehouse (none while it does not exist), found through the
    graph rather than ref: the models that compare with it run after it anyway (each reads a
    model built from it), and a ref would make each of their unit tests declare it. -#}
{% macro ccm_staged_agents() -%}
    {%- set staged = graph.nodes.get('model.ccmetrics.stg_wfm__agents') -%}
    {{- return(none if staged is none else adapter.get_relation(
        database=staged.database, schema=staged.schema, identifier=staged.alias
    )) -}}
{%- endmacro %}

{#- The statement on-run-end appends (after a semicolon) for an invocation that succeeded and
    rebuilt what it selected (build, run, retry): it replaces ccmetrics_meta.build_agents with
    the agents of stg_wfm__agents. Nothing while that model was never built. -#}
{% macro ccm_build_agents_recorded() -%}
    {%- set agents = ccm_staged_agents() -%}
    {%- if agents is not none -%}
        ;
        create or replace table ccmetrics_meta.build_agents as
        select
            agent_id,
            team_id,
            home_queue_id,
            hourly_cost
        from {{ agents }}
    {%- endif -%}
{%- endmacro %}

{#- A select of the moment a day-keyed model attributing rows by agent re-processes from because
    the agents changed since the last successful build (null when they did not):
    - an agent whose team, home queue or hourly cost changed, or who is no longer delivered:
      every day (the agent's whole history is attributed anew);
    - a home queue whose team changed, that is new or that no agent has any more: every day
      (its contacts' service-level rows change team, those from before the change too);
    - a new agent: from the day before the hire date (every day without one), since an agent
      delivered late may have worked before the file named them.
    Every day when the last successful build recorded no agents (built before this record
    existed); nothing without the load log (the ci target has no build record either). -#}
{% macro ccm_agents_changed_from() -%}
    {%- set every_day = "cast('0001-01-01 00:00:00' as " ~ dbt.type_timestamp() ~ ")" -%}
    {%- set agents = ccm_staged_agents() if ccm_load_log_present() else none -%}
    {%- if not ccm_load_log_present() -%}
        select cast(null as {{ dbt.type_timestamp() }})
    {%- elif agents is none or adapter.get_relation(
        database=target.database, schema='ccmetrics_meta', identifier='build_agents'
    ) is none -%}
        select {{ every_day }}
    {%- else -%}
        {%- set attributes = 'agent_id, team_id, home_queue_id, hourly_cost' -%}
        {%- set queue_teams -%}
            select
                home_queue_id,
                min(team_id) as team_id
            from __relation__
            group by home_queue_id
        {%- endset -%}
        select min(changes.changed_from)
        from (
            select {{ every_day }} as changed_from
            from (
                select {{ attributes }} from ccmetrics_meta.build_agents
                except
                select {{ attributes }} from {{ agents }}
            ) as changed_or_gone

            union all

            select coalesce(
                {{ dbt.dateadd('day', -1, 'cast(hired.hire_date as ' ~ dbt.type_timestamp() ~ ')') }},
                {{ every_day }}
            )
            from {{ agents }} as hired
            where hired.agent_id not in (select built.agent_id from ccmetrics_meta.build_agents as built)

            union all

            select {{ every_day }}
            from (
                (
                    {{ queue_teams | replace('__relation__', agents | string) }}
                    except
                    {{ queue_teams | replace('__relation__', 'ccmetrics_meta.build_agents') }}
                )
                union all
                (
                    {{ queue_teams | replace('__relation__', 'ccmetrics_meta.build_agents') }}
                    except
                    {{ queue_teams | replace('__relation__', agents | string) }}
                )
            ) as queues_changed
        ) as changes
    {%- endif -%}
{%- endmacro %}
