/* GPIO pins (see gpio.h). */
#include "gpio.h"

static struct {
    gpio_fn fn;
    void *ud;
} st;

static void changed(int pin, int level, int unused, void *ud)
{
    (void)unused; (void)ud;
    if (st.fn)
        st.fn(pin, level != 0, st.ud);
}

int gpio_count(void)
{
    uint32_t n;
    int rc = gpio_sys_count(&n);
    return rc < 0 ? rc : (int)n;
}

int gpio_output(int pin) { return gpio_sys_enable_output((uint32_t)pin); }

int gpio_write(int pin, bool level) { return level ? gpio_sys_set((uint32_t)pin) : gpio_sys_clear((uint32_t)pin); }

int gpio_toggle(int pin) { return gpio_sys_toggle((uint32_t)pin); }

int gpio_input(int pin, enum gpio_pull pull) { return gpio_sys_enable_input((uint32_t)pin, pull); }

int gpio_read(int pin)
{
    uint32_t v;
    int rc = gpio_sys_read((uint32_t)pin, &v);
    return rc < 0 ? rc : (int)(v != 0);
}

int gpio_on_change(gpio_fn fn, void *ud)
{
    st.fn = fn;
    st.ud = ud;
    return gpio_sys_subscribe(changed, NULL);
}

int gpio_interrupt(int pin, enum gpio_edge edge) { return gpio_sys_enable_interrupt((uint32_t)pin, edge); }

int gpio_no_interrupt(int pin) { return gpio_sys_disable_interrupt((uint32_t)pin); }
