// Interface values against the objects they view (HashLink compiles `==` on an interface
// and a class by comparing what the interface wraps), through Dynamic, after casts, and
// in Array<Dynamic> searches. Expected output recorded on HashLink 1.17.
interface IX {
	function getX():Float;
}

interface IY {
	function getY():Int;
}

interface I2 extends IX {}

class Point implements IX implements IY {
	var x:Float;
	var y:Int;

	public function new(x, y) {
		this.x = x;
		this.y = y;
	}

	public function getX() return x;

	public function getY() return y;
}

class Sub extends Point implements I2 {}

class Main {
	static function same(a:IX, b:IY) return (a : Dynamic) == (b : Dynamic);

	static function main() {
		var p = new Point(1.5, 5);
		var q = new Point(1.5, 5);
		var px:IX = p;
		var py:IY = p;
		var qx:IX = q;
		trace("px == p " + (px == p), "p == px " + (p == px), "py == p " + (py == p));
		trace("px != p " + (px != p), "qx == p " + (qx == p), "qx != p " + (qx != p));
		trace("dyn px == py " + same(px, py), "dyn qx == py " + same(qx, py));
		trace("dyn px == p " + ((px : Dynamic) == (p : Dynamic)));
		trace("cast(py, IX) == px " + (cast(py, IX) == px));
		var d:Dynamic = px;
		trace("d == p " + (d == p), "d == q " + (d == q));
		var arr:Array<Dynamic> = [qx, px, py, p];
		trace("indexOf", arr.indexOf(p), arr.indexOf(py), arr.lastIndexOf(px), arr.indexOf(q));
		trace("downcast", Std.downcast(px, Point) == p, Std.downcast(qx, Point) == p);
		var nx:IX = null;
		var np:Point = null;
		trace("null", nx == null, nx == np, nx == p, px == np, (nx : Dynamic) == (np : Dynamic));
		var s = new Sub(2, 3);
		var i2:I2 = s;
		var ix:IX = i2;
		trace("sub", i2 == s, ix == s, ix == i2, cast(ix, I2) == i2, (ix : Dynamic) == (s : Dynamic));
		trace("remove", arr.remove(p), arr.length);
		trace("compare", Reflect.compare(px, p), Reflect.compare((py : Dynamic), (px : Dynamic)));
	}
}
