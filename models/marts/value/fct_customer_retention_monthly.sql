{#- Retention of contacting customers per month and churn-risk band: the share still active at
    the end of the month. Read across bands it tells whether the risk score separates
    customers who leave from those who stay. -#}
with

customer_months as (

    select
        period_month,
        churn_risk_band,
        is_active_at_period_end
    from {{ ref('fct_customer_churn_risk') }}

),

band_months as (

    select
        period_month,
        churn_risk_band,
        count(*) as contacting_customers,
        count(case when is_active_at_period_end then 1 end) as active_customers
    from customer_months
    group by period_month, churn_risk_band

),

final as (

    select
        period_month,
        churn_risk_band,
        active_customers,
        contacting_customers,
        {{ ccm_safe_divide('active_customers', 'contacting_customers') }} as retention_rate
    from band_months

)

select * from final
