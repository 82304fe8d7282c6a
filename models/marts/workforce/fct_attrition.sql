{#- Attrition per team, per week and per month: leavers in the period / average headcount,
    the mean of the headcount at the start of the period's first day and at the end of its
    last day. leave_date is the last day employed, so a leaver counts in the period that
    holds that day and is no longer in its closing headcount. The periods are those in
    which agents were scheduled or logged in (int_activity_periods; weeks start on var
    week_start). -#}
with

agents as (

    select
        agent_id,
        team_id,
        hire_date,
        leave_date
    from {{ ref('dim_agents') }}

),

periods as (

    select
        period_grain,
        period_start,
        period_end
    from {{ ref('int_activity_periods') }}

),

teams as (

    select team_id
    from {{ ref('dim_teams') }}

),

team_periods_counted as (

    select
        teams.team_id,
        periods.period_grain,
        periods.period_start,
        periods.period_end,
        sum(
            case
                when
                    agents.hire_date <= periods.period_start
                    and (agents.leave_date is null or agents.leave_date >= periods.period_start)
                    then 1
                else 0
            end
        ) as headcount_start,
        sum(
            case
                when
                    agents.hire_date <= periods.period_end
                    and (agents.leave_date is null or agents.leave_date > periods.period_end)
                    then 1
                else 0
            end
        ) as headcount_end,
        sum(
            case
                when agents.leave_date between periods.period_start and periods.period_end
                    then 1
                else 0
            end
        ) as leavers
    from teams
    cross join periods
    inner join agents
        on teams.team_id = agents.team_id
    group by teams.team_id, periods.period_grain, periods.period_start, periods.period_end

),

final as (

    select
        cast(team_id as string) as team_id,
        cast(period_grain as string) as period_grain,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        cast(headcount_start as bigint) as headcount_start,
        cast(headcount_end as bigint) as headcount_end,
        cast((headcount_start + headcount_end) / 2.0 as double) as average_headcount,
        cast(leavers as bigint) as leavers,
        cast(
            {{ ccm_safe_divide('leavers', '(headcount_start + headcount_end) / 2.0') }}
            as double
        ) as attrition_rate
    from team_periods_counted

)

select * from final
