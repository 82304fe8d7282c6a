{#- The center's assist effect per day: the cell deltas (same date, channel and reason) are
    averaged weighted by the cell's assisted segments, i.e. the average change in handle time
    per assisted contact against comparable unassisted work. Cells where either side is empty
    have no delta and drop out of both the weighted sum and the weights. -#}
with

comparable_cells as (

    select
        reporting_date,
        assisted_handled,
        aht_delta_seconds
    from {{ ref('fct_agent_assist_aht_daily') }}
    where aht_delta_seconds is not null

),

all_cells as (

    select
        reporting_date,
        count(*) as cells
    from {{ ref('fct_agent_assist_aht_daily') }}
    group by reporting_date

),

compared_days as (

    select
        reporting_date,
        count(*) as comparable_cells,
        cast(sum(assisted_handled) as bigint) as assisted_handled_compared,
        sum(aht_delta_seconds * assisted_handled) as weighted_delta_seconds_sum
    from comparable_cells
    group by reporting_date

),

final as (

    select
        all_cells.reporting_date,
        all_cells.cells,
        coalesce(compared_days.comparable_cells, 0) as comparable_cells,
        coalesce(compared_days.assisted_handled_compared, 0) as assisted_handled_compared,
        compared_days.weighted_delta_seconds_sum,
        {{ ccm_safe_divide(
            'compared_days.weighted_delta_seconds_sum', 'compared_days.assisted_handled_compared'
        ) }} as agent_assist_aht_delta_seconds
    from all_cells
    left join compared_days
        on all_cells.reporting_date = compared_days.reporting_date

)

select * from final
